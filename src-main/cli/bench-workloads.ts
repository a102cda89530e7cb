// The workloads of `npm run bench`, one function each (BENCH-1's W1–W4 on the report's Coulomb
// pair, W5 the neural families): the registry maps a workload's name to what it measures.
import type { BackendName } from '../engine/backend';
import { accelerationsF64, equationsOfMotion } from '../engine/dynamics';
import { generateDataset, type Dataset } from '../engine/dataset';
import { lossLandscape, type LandscapeSpec } from '../engine/analysis/landscape';
import { compileModel } from '../engine/models/compile-model';
import type { ModelSpec } from '../engine/models/model';
import { coulombPair, reportOriginWindow } from '../engine/systems/presets';
import { parseSystem } from '../engine/systems/system';
import { createObjective } from '../engine/training/objective';
import { train } from '../engine/training/train';
import type { OptimizerSpec } from '../../src-shared/dto/training';
import type { LandscapePool } from './bench-landscape-pool';
import { timedAdam } from './bench-measure';

export interface Row {
  workload: string;
  /** Points kept after the band (or half-plane) drop. */
  n: number;
  /** Points drawn (the --n value). */
  drawn: number;
  backend: string;
  precision: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  unit: string;
  result: string;
}

/** What every workload measures with: the options, the tfjs backends, the row printer. */
export interface BenchContext {
  readonly runs: number;
  readonly steps: number;
  readonly tensorBackends: readonly BackendName[];
  readonly useTensorBackend: (b: BackendName) => Promise<void>;
  readonly measure: <T>(
    runs: number,
    fn: () => Promise<T> | T,
    perUnit?: number,
  ) => Promise<{ times: number[]; result: T }>;
  readonly stats: (times: number[]) => Pick<Row, 'medianMs' | 'minMs' | 'maxMs'>;
  readonly push: (row: Row) => void;
  /** W2's landscape workers (present when W2 runs). */
  readonly pool?: LandscapePool;
}

/** BENCH-1's data: q, q̇ uniform in [−1, 1], n draws with a fixed seed, then a restriction. */
export function benchData(n: number, restriction: 'band' | 'half-plane'): Dataset {
  const { q, qd, exclusionBands: r = [] } = reportOriginWindow();
  return generateDataset({
    system: coulombPair,
    sampling: {
      window: {
        q,
        qd,
        ...(restriction === 'band' ? { exclusionBands: r } : { halfPlanes: r }),
      },
      count: n,
      seed: 1,
      countMode: 'drawn',
    },
  });
}

const exactForm: ModelSpec = {
  family: 'exact-form',
  learnable: ['k', 'alpha'],
  initial: { k: 1.0, alpha: 0.2 },
};

/** W1: parse and derive the Euler–Lagrange program, then the dataset's q̈ in float64. */
async function compileWorkload(n: number, c: BenchContext): Promise<void> {
  const { push, stats, measure } = c;
  const data = benchData(n, 'band');
  const parsed = parseSystem(coulombPair);
  const compile = await measure(c.runs, () =>
    equationsOfMotion(
      parseSystem(coulombPair).lagrangian,
      coulombPair.coordinates,
      coulombPair.velocities,
      parsed.parameterValues,
    ),
  );
  push({
    workload: 'W1 parse + symbolic derivatives',
    n: data.n,
    drawn: n,
    backend: 'js',
    precision: 'float64',
    ...stats(compile.times),
    unit: 'ms',
    result: `${compile.result.program.instructions.length} instructions`,
  });
  const eom = compile.result;
  const w1 = await measure(Math.max(c.runs, 20), () => accelerationsF64(eom, data.q, data.qd));
  const acc = w1.result.accelerations;
  let sum = 0;
  for (let s = 0; s < data.n; s++) sum += Math.hypot(acc[0]![s]!, acc[1]![s]!);
  push({
    workload: 'W1 dataset q̈ (Euler–Lagrange)',
    n: data.n,
    drawn: n,
    backend: 'js',
    precision: 'float64',
    ...stats(w1.times),
    unit: 'ms',
    result: `mean |q̈| = ${(sum / data.n).toFixed(6)}`,
  });
}

/** W2: the 200 × 200 loss landscape over (k, α), every route. */
async function landscapeWorkload(n: number, c: BenchContext): Promise<void> {
  const { push, stats, measure, tensorBackends, useTensorBackend, pool } = c;
  const data = benchData(n, 'band');
  const spec: LandscapeSpec = {
    x: { parameter: 'k', min: 0, max: 8, count: 200 },
    y: { parameter: 'alpha', min: 0, max: 2, count: 200 },
    parameters: { k: 4, alpha: 1 },
    loss: { reduction: 'sum' },
  };
  const model = compileModel(exactForm, coulombPair);
  const node = (l: { minimum: { x: number; y: number } }) =>
    `min at (${l.minimum.x.toFixed(4)}, ${l.minimum.y.toFixed(5)})`;
  // The fused WebAssembly kernel (float32 lanes, as the report's route; then float64),
  // on the worker pool and on one thread; the tfjs tensor route once, as the reference.
  const variants = [
    { label: 'fused', kernel: 'fused', precision: 'float32', threads: pool!.size },
    { label: 'fused', kernel: 'fused', precision: 'float64', threads: pool!.size },
    { label: 'fused', kernel: 'fused', precision: 'float32', threads: 1 },
    ...tensorBackends.map(
      (b) =>
        ({
          label: 'tfjs tensors',
          kernel: 'tensor',
          precision: 'float32',
          threads: 1,
          b,
        }) as const,
    ),
  ] as const;
  for (const v of variants) {
    if ('b' in v) await useTensorBackend(v.b);
    const s = { ...spec, kernel: v.kernel, precision: v.precision };
    const timed = await measure(v.kernel === 'tensor' ? 1 : c.runs, () =>
      v.threads > 1
        ? pool!.compute(coulombPair, exactForm, data, s)
        : lossLandscape(model, data, { ...s, path: 'general' }),
    );
    const threads = v.threads > 1 ? `${v.threads} workers` : '1 thread';
    push({
      workload: `W2 landscape, general, ${v.label} (${threads}, ${v.precision})`,
      n: data.n,
      drawn: n,
      backend: 'b' in v ? v.b : 'wasm-simd',
      precision: v.precision,
      ...stats(timed.times),
      unit: 'ms',
      result: node(timed.result),
    });
  }
  const gram = await measure(c.runs, () => lossLandscape(model, data, { ...spec, path: 'gram' }));
  push({
    workload: 'W2 landscape, exact (Gram)',
    n: data.n,
    drawn: n,
    backend: 'js',
    precision: 'float64',
    ...stats(gram.times),
    unit: 'ms',
    result: node(gram.result),
  });
}

/** W3: the exact-form fit, GD and Adam, by the graph route (fused and tfjs) and the Gram one. */
async function exactFitWorkload(n: number, c: BenchContext): Promise<void> {
  const { push, stats, measure, tensorBackends, useTensorBackend } = c;
  const data = benchData(n, 'band');
  const model = compileModel(exactForm, coulombPair);
  // The graph route through the fused kernel (float64 forward mode) and through tfjs.
  for (const [route, kernel, on] of [
    ['graph', 'fused', null],
    ...tensorBackends.map((b) => ['graph', 'tensor', b] as const),
    ['gram', 'fused', null],
  ] as const) {
    if (on) await useTensorBackend(on);
    const objective = createObjective(model, data, { reduction: 'mean' }, route, { kernel });
    const how = route === 'gram' ? 'js' : (on ?? 'wasm-simd');
    for (const optimizer of [
      { algorithm: 'gd', learningRate: 0.001 },
      { algorithm: 'adam', learningRate: 0.01 },
    ] as OptimizerSpec[]) {
      const r = await measure(
        c.runs,
        () =>
          train(objective, {
            optimizer,
            stopping: { maxSteps: c.steps },
            initial: model.initial,
          }),
        c.steps,
      );
      const p = r.result.parameters;
      push({
        workload: `W3 exact fit, ${optimizer.algorithm}, ${route}${route === 'graph' ? (kernel === 'fused' ? ' (fused)' : ' (tfjs tensors)') : ''}`,
        n: data.n,
        drawn: n,
        backend: how,
        precision: route === 'graph' && kernel === 'tensor' ? 'float32' : 'float64',
        ...stats(r.times),
        unit: 'ms/step',
        result: `k=${p[0]!.toFixed(6)} alpha=${p[1]!.toFixed(6)} loss=${r.result.finalLoss.toExponential(3)} (${r.result.status})`,
      });
    }
    objective.dispose();
  }
}

/** W4: the order-8 coupling polynomial on the half-plane, every route. */
async function polynomialWorkload(n: number, c: BenchContext): Promise<void> {
  const { push, stats, tensorBackends, useTensorBackend } = c;
  const half = benchData(n, 'half-plane');
  const model = compileModel({ family: 'coupling-polynomial', order: 8, k: 4 }, coulombPair);
  for (const [route, kernel, on] of [
    ['design', 'fused', null],
    ...tensorBackends.map((b) => ['design', 'tensor', b] as const),
    ['gram', 'fused', null],
    ['graph', 'fused', tensorBackends[0]!],
  ] as const) {
    if (on) await useTensorBackend(on);
    const steps = route === 'graph' ? Math.min(c.steps, 100) : c.steps;
    const objective = createObjective(model, half, { reduction: 'mean' }, route, { kernel });
    const r = await timedAdam(objective, model.initial, route === 'graph' ? 1 : c.runs, steps);
    objective.dispose();
    push({
      workload: `W4 polynomial fit, adam, ${route}${route === 'design' ? (kernel === 'fused' ? ' (fused)' : ' (tfjs tensors)') : ''}`,
      n: half.n,
      drawn: n,
      backend: route === 'gram' ? 'js' : (on ?? 'wasm-simd'),
      precision: route === 'gram' ? 'float64' : 'float32',
      ...stats(r.times),
      unit: 'ms/step',
      result: `loss=${r.result.finalLoss.toExponential(4)} after ${steps} steps`,
    });
  }
}

/** Every workload by name, in the order they run. */
export const WORKLOADS: Record<string, (n: number, c: BenchContext) => Promise<void>> = {
  W1: compileWorkload,
  W2: landscapeWorkload,
  W3: exactFitWorkload,
  W4: polynomialWorkload,
  W5: async (n, c) => (await import('./bench-neural')).neuralBench(n, c),
};
export const ALL_WORKLOADS = Object.keys(WORKLOADS);
