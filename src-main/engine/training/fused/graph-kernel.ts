import type { F64Value } from '../../expression/evaluate-f64';
import { align16, fillPointColumn, instantiateKernel, pagesFor } from '../../wasm/kernel-memory';
import { evaluateHoisted, operandsOf, slotKinds } from '../../analysis/fused/slot-kinds';
import type { CompiledModel } from '../../models/model';
import { simdAvailable } from '../../wasm/wasm-runtime';
import { pointWeights } from '../loss';
import type { PhaseSamples } from '../samples';
import { emitTangentKernel } from './tangent-emit';
import type { LossSpec } from '../../../../src-shared/dto/training';

/** Past this many parameters forward-mode tangents cost more than tfjs's reverse mode. */
export const MAX_TANGENT_PARAMETERS = 16;
/** Program slots × parameters past which the kernel would be too large to compile quickly. */
const MAX_TANGENT_WORK = 40_000;
const MAX_KERNEL_BYTES = 1 << 30;

export interface LossAndGradient {
  evaluate(theta: Float64Array): { loss: number; gradient: Float64Array };
}

/**
 * The graph route's loss and exact gradient for an expression model in float64, one
 * WebAssembly SIMD call a step (forward-mode through the Euler–Lagrange program), or null when
 * it does not apply (no program, too many parameters, no SIMD): the caller takes tfjs.
 */
/* eslint-disable-next-line max-lines-per-function --
   emits one kernel's straight-line WebAssembly beside the formula each block implements */
export function graphKernel(
  model: CompiledModel,
  data: PhaseSamples,
  loss: LossSpec,
): LossAndGradient | null {
  const eom = model.eom;
  const p = model.parameterNames.length;
  if (!eom || !simdAvailable() || p === 0 || p > MAX_TANGENT_PARAMETERS) return null;
  const program = eom.program;
  if (program.instructions.length * p > MAX_TANGENT_WORK) return null;
  const n = data.q[0]!.length;
  const parameters = new Set(model.parameterNames);
  const kinds = slotKinds(program, new Set([...eom.coordinates, ...eom.velocities]), parameters);
  const parameterSlots = model.parameterNames.map((name) => program.inputs.indexOf(name));
  if (parameterSlots.some((s) => s < 0)) return null;

  // Point-only and constant slots the kernel reads, evaluated once in float64.
  const needed = new Set<number>(program.outputs);
  program.instructions.forEach((ins, s) => {
    if (kinds[s] === 'mixed' || kinds[s] === 'cell') for (const o of operandsOf(ins)) needed.add(o);
  });
  const hoisted = [...needed].filter((s) => kinds[s] === 'point' || kinds[s] === 'uniform');
  const pointSlots = hoisted.filter((s) => kinds[s] === 'point');
  const uniformSlots = hoisted.filter((s) => kinds[s] === 'uniform');
  const env: Record<string, F64Value> = {};
  eom.coordinates.forEach((c, i) => (env[c] = data.q[i]!));
  eom.velocities.forEach((v, i) => (env[v] = data.qd[i]!));
  const values = evaluateHoisted(
    program,
    kinds,
    ['uniform', 'point'],
    [...pointSlots, ...uniformSlots],
    env,
    n,
  );

  const npad = n + (n % 2);
  const columnBytes = align16(npad * 8);
  const thetaOffset = 0;
  const lossOffset = align16(p * 8);
  const gradientOffset = lossOffset + 16;
  let offset = gradientOffset + align16(p * 8);
  const take = () => {
    const at = offset;
    offset += columnBytes;
    return at;
  };
  const pointColumns = new Map(pointSlots.map((s) => [s, take()] as const));
  const targets = data.qdd.map(() => take());
  const weights = pointWeights(data.qdd, loss);
  const weightOffset = weights || npad > n ? take() : null;
  // Past 1 GiB of columns (millions of points, many hoisted slots) the tfjs route runs instead.
  if (offset > MAX_KERNEL_BYTES) return null;
  const memoryPages = pagesFor(offset);
  const kernel = emitTangentKernel(eom, {
    kinds,
    parameterSlots,
    pointColumns,
    uniformValues: new Map(
      uniformSlots.map((s, i) => [s, values[pointSlots.length + i] as number]),
    ),
    targets,
    weights: weightOffset,
    pointBytes: columnBytes,
    theta: thetaOffset,
    loss: lossOffset,
    gradient: gradientOffset,
    memoryPages,
  });
  const { memory, exports } = instantiateKernel(kernel.bytes, kernel.hostFunctions, offset);
  const run = exports.kernel as () => void;
  const column = (at: number, v: F64Value, pad?: number) =>
    fillPointColumn(new Float64Array(memory.buffer, at, npad), v, n, pad);
  pointSlots.forEach((s, i) => column(pointColumns.get(s)!, values[i]!));
  data.qdd.forEach((c, i) => column(targets[i]!, c));
  if (weightOffset !== null) column(weightOffset, weights ?? 1, 0);
  const theta = new Float64Array(memory.buffer, thetaOffset, p);
  const lossCell = new Float64Array(memory.buffer, lossOffset, 1);
  const gradient = new Float64Array(memory.buffer, gradientOffset, p);
  const scale = loss.reduction === 'mean' ? 1 / n : 1;
  return {
    evaluate(at) {
      theta.set(at);
      run();
      return {
        loss: scale * lossCell[0]!,
        gradient: Float64Array.from(gradient, (g) => 2 * scale * g),
      };
    },
  };
}
