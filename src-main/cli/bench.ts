// npm run bench — the BENCH-1 workload (../shared/bench/BENCH-1.md) through the application's
// own engine code. Prints one row per workload and size: backend, precision, median/min/max ms
// over 3 runs after one warm-up, and the numeric result, so speed is never bought with a wrong
// answer.
import { COMMAND_SUMMARIES } from './command-list';
import {
  numberOption,
  runCommand,
  stringOption,
  UsageError,
  type Command,
  type ParsedArgs,
  exitAfterOutput,
} from './args';
import { writeFileSync } from 'node:fs';
import { initBackend, type BackendName } from '../engine/backend';
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
import { LandscapePool } from '../jobs/landscape-pool';
import { measure, median } from './bench-measure';

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

export const benchCommand: Command = {
  name: 'bench',
  summary: COMMAND_SUMMARIES.bench,
  positionals: '',
  options: {
    n: {
      type: 'string',
      value: 'N,N',
      help: 'sample sizes before the band drop (default 1000,10000)',
    },
    only: { type: 'string', value: 'W1,W2', help: 'workloads to run (default all)' },
    steps: { type: 'string', value: 'N', help: 'optimizer steps for W3–W5 (default 1000)' },
    runs: { type: 'string', value: 'N', help: 'timed runs after one warm-up (default 3)' },
    json: { type: 'string', value: 'FILE', help: 'also write the rows as JSON' },
    'against-torch': {
      type: 'boolean',
      help: 'alternate with the PyTorch reference (bench/torch_reference.py) and print ratios',
    },
    rounds: { type: 'string', value: 'N', help: 'alternations with --against-torch (default 2)' },
    'report-studies': {
      type: 'boolean',
      help: "time the report's seven studies through the job queue instead",
    },
  },
  run: async (args) => {
    if (args.values['report-studies']) {
      const { benchReportStudies } = await import('./bench-report-studies');
      return benchReportStudies();
    }
    const parsed = benchArgs(args);
    if (args.values['against-torch']) {
      const { againstTorch } = await import('./bench-against-torch');
      return againstTorch(
        parsed,
        numberOption(args, 'rounds', 2, { integer: true, min: 1, max: 50 }),
      );
    }
    await bench(parsed);
    return 0;
  },
};

function benchArgs(args: ParsedArgs) {
  const sizes = stringOption(args, 'n');
  const list = (text: string | undefined) => text?.split(',').map((s) => s.trim());
  return {
    json: stringOption(args, 'json'),
    only: list(stringOption(args, 'only'))?.map((s) => s.toUpperCase()) ?? ALL_WORKLOADS,
    sizes: list(sizes)?.map((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new UsageError(`--n takes whole numbers, not "${v}"`);
      return n;
    }) ?? [1000, 10000],
    steps: numberOption(args, 'steps', 1000, { integer: true, min: 1 }),
    runs: numberOption(args, 'runs', 3, { integer: true, min: 1 }),
  };
}

/** BENCH-1's data: q, q̇ uniform in [−1, 1], n draws with a fixed seed, then a restriction. */
function benchData(n: number, restriction: 'band' | 'half-plane'): Dataset {
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

export type BenchArgs = ReturnType<typeof benchArgs>;
const ALL_WORKLOADS = ['W1', 'W2', 'W3', 'W4', 'W5'];

export async function bench(args: BenchArgs): Promise<Row[]> {
  const report = await initBackend();
  const backend = report.active;
  console.log(report.summary);
  // With tfjs-node(-gpu) present, the tfjs rows run on it and on wasm: which one wins is printed.
  const tensorBackends: BackendName[] =
    backend === 'wasm' || backend === 'cpu' ? [backend] : [backend, 'wasm'];
  let tensorBackend = backend;
  const useTensorBackend = async (b: BackendName) => {
    if (b !== tensorBackend) await initBackend(b);
    tensorBackend = b;
  };
  const rows: Row[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const push = (row: Row) => {
    rows.push(row);
    console.log(
      `${row.workload.padEnd(34)} n=${String(row.n).padEnd(6)} ${row.backend.padEnd(7)} ${row.precision.padEnd(8)} median ${row.medianMs.toFixed(3).padStart(9)} ${row.unit.padEnd(8)} min ${row.minMs.toFixed(3).padStart(9)}  max ${row.maxMs.toFixed(3).padStart(9)}  ${row.result}`,
    );
  };
  const stats = (times: number[]) => ({
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
  });
  const pool = args.only.includes('W2') ? new LandscapePool(2) : undefined;
  const exactForm: ModelSpec = {
    family: 'exact-form',
    learnable: ['k', 'alpha'],
    initial: { k: 1.0, alpha: 0.2 },
  };

  try {
    for (const n of args.sizes) {
      const data = benchData(n, 'band');
      if (args.only.includes('W1')) {
        const parsed = parseSystem(coulombPair);
        const compile = await measure(args.runs, () =>
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
        const w1 = await measure(Math.max(args.runs, 20), () =>
          accelerationsF64(eom, data.q, data.qd),
        );
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
      if (args.only.includes('W2')) {
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
          const timed = await measure(v.kernel === 'tensor' ? 1 : args.runs, () =>
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
        const gram = await measure(args.runs, () =>
          lossLandscape(model, data, { ...spec, path: 'gram' }),
        );
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
      if (args.only.includes('W3')) {
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
              args.runs,
              () =>
                train(objective, {
                  optimizer,
                  stopping: { maxSteps: args.steps },
                  initial: model.initial,
                }),
              args.steps,
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
      if (args.only.includes('W4')) {
        const half = benchData(n, 'half-plane');
        const model = compileModel({ family: 'coupling-polynomial', order: 8, k: 4 }, coulombPair);
        for (const [route, kernel, on] of [
          ['design', 'fused', null],
          ...tensorBackends.map((b) => ['design', 'tensor', b] as const),
          ['gram', 'fused', null],
          ['graph', 'fused', tensorBackends[0]!],
        ] as const) {
          if (on) await useTensorBackend(on);
          const steps = route === 'graph' ? Math.min(args.steps, 100) : args.steps;
          const objective = createObjective(model, half, { reduction: 'mean' }, route, { kernel });
          const r = await measure(
            route === 'graph' ? 1 : args.runs,
            () =>
              train(objective, {
                optimizer: { algorithm: 'adam', learningRate: 0.001 },
                stopping: { maxSteps: steps },
                initial: model.initial,
              }),
            steps,
          );
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
      if (args.only.includes('W5')) {
        const { neuralBench } = await import('./bench-neural');
        await neuralBench(n, { ...args, tensorBackends, useTensorBackend, measure, stats, push });
      }
    }
  } finally {
    clearInterval(sampler);
    await pool?.close();
  }
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(`peak memory (rss, all threads): ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  for (const line of winners(rows)) console.log(line);
  if (args.json) {
    writeFileSync(
      args.json,
      JSON.stringify(
        { backend: report, rows, peakRssMiB: peakRss / 2 ** 20, date: new Date().toISOString() },
        null,
        2,
      ),
    );
    console.log(`wrote ${args.json}`);
  }
  return rows;
}

if (process.argv[1] && /bench\.(ts|js)$/.test(process.argv[1]))
  void runCommand(benchCommand, process.argv.slice(2)).then(exitAfterOutput);

/** The same computation by different routes: the row name without its kernel and threads. */
export function computationOf(workload: string): string {
  return workload.replace(/ \([^)]*\)$/, '').replace(/, (fused|tfjs tensors)$/, '');
}

/** Per computation and size run more than one way: which was fastest, and by how much. */
export function winners(rows: readonly Row[]): string[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${computationOf(r.workload)} n=${r.n}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines: string[] = [];
  for (const [key, group] of groups) {
    if (group.length < 2) continue;
    const sorted = [...group].sort((a, b) => a.medianMs - b.medianMs);
    const best = sorted[0]!;
    const worst = sorted.at(-1)!;
    lines.push(
      `fastest for ${key}: ${best.workload} on ${best.backend} (${best.medianMs.toPrecision(3)} ${best.unit}; ${(worst.medianMs / best.medianMs).toFixed(1)}× ${worst.workload} on ${worst.backend})`,
    );
  }
  return lines;
}
