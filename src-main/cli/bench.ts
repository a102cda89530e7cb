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
import { LandscapePool } from './bench-landscape-pool';
import { measure, median } from './bench-measure';
import { ALL_WORKLOADS, WORKLOADS, type Row } from './bench-workloads';

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
  const only = list(stringOption(args, 'only'))?.map((s) => s.toUpperCase()) ?? ALL_WORKLOADS;
  const unknown = only.filter((w) => !ALL_WORKLOADS.includes(w));
  if (unknown.length)
    throw new UsageError(`--only takes ${ALL_WORKLOADS.join(', ')}, not ${unknown.join(', ')}`);
  return {
    json: stringOption(args, 'json'),
    only,
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

export type BenchArgs = ReturnType<typeof benchArgs>;

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
  const context = { ...args, tensorBackends, useTensorBackend, measure, stats, push, pool };
  try {
    for (const n of args.sizes)
      for (const name of ALL_WORKLOADS)
        if (args.only.includes(name)) await WORKLOADS[name]!(n, context);
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
