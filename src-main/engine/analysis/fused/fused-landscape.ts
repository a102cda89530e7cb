import type { EquationsOfMotion } from '../../dynamics';
import { throwIfStopped } from '../../errors';
import type { F64Value } from '../../expression/evaluate-f64';
import type { CompiledModel } from '../../models/model';
import { pointWeights } from '../../training/loss';
import type { PhaseSamples } from '../../training/samples';
import { axisValues, type LandscapeSpec } from '../landscape-spec';
import { simdAvailable } from '../../wasm/wasm-runtime';
import { fillPointColumn, instantiateKernel } from '../../wasm/kernel-memory';
import { emitLandscapeKernel } from './kernel-emit';
import { elementBytes, laneCount, planLayout } from './kernel-layout';
import type { Precision } from '../../../../src-shared/dto/precision';
import { evaluateHoisted, operandsOf, slotKinds, type SlotKind } from './slot-kinds';

/** Above this much kernel memory the tensor route is used instead (it batches). */
const MAX_KERNEL_BYTES = 1 << 30;

/**
 * Rows [rowStart, rowEnd) of the general landscape path through the fused WebAssembly kernel,
 * or null when it does not apply (no Euler–Lagrange program, too large, no SIMD): the caller
 * then takes the tfjs tensor route, which stays the reference.
 *
 * The program's slots are split by what they vary with: point-only slots (q, q̇ and
 * constants) become float64-evaluated columns, cell-only slots (the two axis parameters) one
 * value per cell, and only the mixed ones run cells × points times, inside the kernel.
 */
/* eslint-disable-next-line max-lines-per-function --
   one kernel call set up in order (slots, columns, layout, kernel, run), each step once */
export function fusedLandscapeRows(
  model: CompiledModel,
  data: PhaseSamples,
  spec: LandscapeSpec,
  rowStart: number,
  rowEnd: number,
  precision: Precision,
): Float64Array | null {
  const eom = model.eom;
  if (!eom || !simdAvailable()) return null;
  const n = data.q[0]!.length;
  const nx = spec.x.count;
  const cells = (rowEnd - rowStart) * nx;
  if (n === 0 || cells === 0) return new Float64Array(cells);
  const program = eom.program;
  const { kinds, pointSlots, cellSlots, uniformSlots } = slotPlan(eom, spec);
  const cellInputs = new Set([spec.x.parameter, spec.y.parameter]);
  const fixed: Record<string, F64Value> = {};
  for (const p of eom.symbolicParameters) if (!cellInputs.has(p)) fixed[p] = spec.parameters[p]!;

  // Point-only and constant slots, once, in float64.
  const pointEnv: Record<string, F64Value> = { ...fixed };
  eom.coordinates.forEach((c, i) => (pointEnv[c] = data.q[i]!));
  eom.velocities.forEach((v, i) => (pointEnv[v] = data.qd[i]!));
  const pointValues = evaluateHoisted(
    program,
    kinds,
    ['uniform', 'point'],
    [...pointSlots, ...uniformSlots],
    pointEnv,
    n,
  );
  const uniformValues = new Map(
    uniformSlots.map((s, i) => [s, pointValues[pointSlots.length + i] as number] as const),
  );

  // Cell-only slots, once per cell of the job, in float64.
  const xs = axisValues(spec.x);
  const ys = axisValues(spec.y);
  const cellEnv: Record<string, F64Value> = { ...fixed };
  cellEnv[spec.x.parameter] = Float64Array.from({ length: cells }, (_, c) => xs[c % nx]!);
  cellEnv[spec.y.parameter] = Float64Array.from(
    { length: cells },
    (_, c) => ys[rowStart + Math.floor(c / nx)]!,
  );
  const cellValues = evaluateHoisted(
    program,
    kinds,
    ['uniform', 'cell'],
    cellSlots,
    cellEnv,
    cells,
  );

  const weights = pointWeights(data.qdd, spec.loss);
  const layout = planLayout({
    precision,
    n,
    cells,
    dimensions: eom.coordinates.length,
    kinds,
    pointSlots,
    cellSlots,
    uniformValues,
    weighted: weights !== null,
    scale: spec.loss.reduction === 'mean' ? 1 / n : 1,
  });
  if (layout.bytes > MAX_KERNEL_BYTES) return null;
  let instance;
  try {
    const kernel = emitLandscapeKernel(eom, layout);
    instance = instantiateKernel(kernel.bytes, kernel.hostFunctions, layout.bytes);
  } catch (err) {
    // V8 refuses some kernels (more than 50 000 locals: a large L whose slots all mix cell and
    // point, issue 32.8): the tensor route computes the same landscape, more slowly
    const name = (err as Error).name;
    if (name === 'CompileError' || name === 'RangeError' || name === 'LinkError') {
      spec.onKernel?.(
        'tensor',
        `V8 could not build the fused kernel (${(err as Error).message.slice(0, 120)})`,
      );
      return null;
    }
    throw err;
  }
  const { memory, exports } = instance;
  const run = exports.kernel as (cellStart: number, cellEnd: number) => void;

  const lanes = laneCount(precision);
  const npad = Math.ceil(n / lanes) * lanes;
  const column = (offset: number, values: F64Value, pad?: number) =>
    fillPointColumn(
      elementBytes(precision) === 4
        ? new Float32Array(memory.buffer, offset, npad)
        : new Float64Array(memory.buffer, offset, npad),
      values,
      n,
      pad,
    );
  pointSlots.forEach((s, i) => column(layout.pointColumns.get(s)!, pointValues[i]!));
  data.qdd.forEach((c, i) => column(layout.targets[i]!, c));
  if (layout.weights !== null) column(layout.weights, weights ?? 1, 0);
  // Cell columns in the order of cellSlots (the layout's insertion order).
  [...layout.cellColumns.values()].forEach((offset, i) => {
    const v = cellValues[i]!;
    const view = new Float64Array(memory.buffer, offset, cells);
    if (typeof v === 'number') view.fill(v);
    else view.set(v);
  });

  // A few million point evaluations a call: Cancel is seen within milliseconds.
  const cellsPerCall = Math.max(1, Math.floor((spec.maxBatchElements ?? 2_000_000) / n));
  for (let c0 = 0; c0 < cells; c0 += cellsPerCall) {
    throwIfStopped(spec.shouldStop, 'The landscape');
    const c1 = Math.min(cells, c0 + cellsPerCall);
    run(c0, c1);
    spec.onProgress?.(c1, cells);
  }
  return new Float64Array(memory.buffer, layout.output, cells).slice();
}

/** The program's slots by what they vary with, and those the kernel reads of each kind. */
function slotPlan(eom: EquationsOfMotion, spec: Pick<LandscapeSpec, 'x' | 'y'>) {
  const pointInputs = new Set([...eom.coordinates, ...eom.velocities]);
  const cellInputs = new Set([spec.x.parameter, spec.y.parameter]);
  const kinds = slotKinds(eom.program, pointInputs, cellInputs);
  const needed = neededSlots(eom, kinds);
  const ofKind = (k: SlotKind) => needed.filter((s) => kinds[s] === k);
  return {
    kinds,
    pointSlots: ofKind('point'),
    cellSlots: ofKind('cell'),
    uniformSlots: ofKind('uniform'),
  };
}

/**
 * Why the fused kernel could not compute this landscape over n points (null when it can). A
 * float64 general landscape has no other route, so a study asking for one is checked before it
 * trains: the whole grid as one job (the largest it runs), and the kernel built once for a few
 * points, which is where V8 refuses one (the locals, not the memory, decide).
 */
export function fusedLandscapeRefusal(
  model: CompiledModel,
  spec: Pick<LandscapeSpec, 'x' | 'y' | 'loss'>,
  n: number,
  precision: Precision,
): string | null {
  const eom = model.eom;
  if (!eom) return 'the model has no Euler–Lagrange program to compile';
  if (!simdAvailable()) return "this machine's WebAssembly has no SIMD";
  const { kinds, pointSlots, cellSlots, uniformSlots } = slotPlan(eom, spec);
  const plan = (points: number, cells: number) =>
    planLayout({
      precision,
      n: points,
      cells,
      dimensions: eom.coordinates.length,
      kinds,
      pointSlots,
      cellSlots,
      uniformValues: new Map(uniformSlots.map((s) => [s, 0] as const)),
      weighted: !!spec.loss.relative,
      scale: 1,
    });
  const bytes = plan(n, spec.x.count * spec.y.count).bytes;
  if (bytes > MAX_KERNEL_BYTES)
    return `its memory would be ${(bytes / 2 ** 30).toFixed(1)} GiB (at most 1 GiB): use fewer points or grid cells`;
  const small = plan(laneCount(precision), 1);
  try {
    const kernel = emitLandscapeKernel(eom, small);
    instantiateKernel(kernel.bytes, kernel.hostFunctions, small.bytes);
  } catch (err) {
    return `V8 could not build the kernel (${(err as Error).message.slice(0, 120)})`;
  }
  return null;
}

/** Slots the kernel reads: operands of mixed instructions and the program's outputs. */
function neededSlots(eom: EquationsOfMotion, kinds: readonly SlotKind[]): number[] {
  const needed = new Set<number>(eom.program.outputs);
  eom.program.instructions.forEach((ins, s) => {
    if (kinds[s] === 'mixed') for (const o of operandsOf(ins)) needed.add(o);
  });
  return [...needed].filter((s) => kinds[s] !== 'mixed').sort((a, b) => a - b);
}
