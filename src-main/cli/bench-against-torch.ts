// npm run bench -- --against-torch: this engine and the report's PyTorch route measured in the
// same sitting, alternated (PyTorch, us, PyTorch, us …) so drift in the machine's speed falls on
// both, and reported as ratios with their spread. Not part of npm test: it needs python3-torch.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { appRoot } from '../app-root';
import { bench, type BenchArgs } from './bench';
import type { Row } from './bench-workloads';

interface TorchRow {
  readonly key: string;
  readonly n: number;
  readonly medianMs: number;
  readonly unit: string;
  readonly result: string;
}

/** Which PyTorch row a row of ours is compared with. */
export function torchKey(workload: string): string | null {
  if (workload.startsWith('W1 dataset')) return 'W1';
  if (workload.startsWith('W2 landscape, general')) return 'W2-general';
  const w3 = /^W3 exact fit, (gd|adam),/.exec(workload);
  if (w3) return `W3-${w3[1]}`;
  if (workload.startsWith('W4 polynomial fit, adam')) return 'W4-adam';
  const w5 = /^W5 neural step, (plain|structured), \((\d+),/.exec(workload);
  if (w5) return `W5-${w5[1]}-${w5[2]}`;
  return null;
}

function runTorch(args: BenchArgs): { torch: string; rows: TorchRow[] } {
  const dir = mkdtempSync(join(tmpdir(), 'lagrange-torch-'));
  try {
    const out = join(dir, 'torch.json');
    const python = process.env.LAGRANGE_PYTHON ?? '/usr/bin/python3';
    const r = spawnSync(
      python,
      [
        join(appRoot(), 'bench/torch_reference.py'),
        '--n',
        args.sizes.join(','),
        '--only',
        args.only.join(','),
        '--steps',
        String(args.steps),
        '--runs',
        String(args.runs),
        '--json',
        out,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'], timeout: 3_600_000 },
    );
    if (r.status !== 0)
      throw new Error(
        `the PyTorch reference failed (${r.error?.message ?? `exit ${r.status}`}): is python3-torch installed (apt-get install python3-torch)? LAGRANGE_PYTHON picks the interpreter`,
      );
    return JSON.parse(readFileSync(out, 'utf8')) as { torch: string; rows: TorchRow[] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3));

export async function againstTorch(args: BenchArgs, rounds: number): Promise<number> {
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadBefore: loadavg().map((l) => l.toFixed(2)),
  };
  const torchRounds: TorchRow[][] = [];
  const ourRounds: Row[][] = [];
  let version = '';
  for (let r = 0; r < rounds; r++) {
    console.log(`round ${r + 1}/${rounds}: PyTorch`);
    const t = runTorch(args);
    version = t.torch;
    torchRounds.push(t.rows);
    console.log(`round ${r + 1}/${rounds}: this engine`);
    ourRounds.push(await bench({ ...args, json: undefined }));
  }
  console.log(
    `\nmachine: ${machine.cpu}, ${machine.cores} cores, load average before ${machine.loadBefore.join(' ')}, after ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; PyTorch ${version}, float32, 2 threads; ${rounds} alternated rounds`,
  );
  console.log(
    'workload'.padEnd(40) +
      'n'.padEnd(7) +
      'PyTorch median'.padEnd(17) +
      'ours median'.padEnd(16) +
      'ratio (PyTorch / ours): median, range over rounds',
  );
  for (const row of ourRounds[0]!) {
    const key = torchKey(row.workload);
    if (!key) continue;
    const pairs = ourRounds.map((ours, r) => ({
      ours: ours.find((o) => o.workload === row.workload && o.drawn === row.drawn)?.medianMs,
      torch: torchRounds[r]!.find((t) => t.key === key && t.n === row.drawn)?.medianMs,
    }));
    const ratios = pairs.filter((p) => p.ours && p.torch).map((p) => p.torch! / p.ours!);
    if (!ratios.length) continue;
    const torchMs = median(pairs.map((p) => p.torch!).filter(Boolean));
    const ourMs = median(pairs.map((p) => p.ours!).filter(Boolean));
    console.log(
      row.workload.padEnd(40) +
        String(row.drawn).padEnd(7) +
        `${fmt(torchMs)} ${row.unit}`.padEnd(17) +
        `${fmt(ourMs)} ${row.unit}`.padEnd(16) +
        `${fmt(median(ratios))}× (${fmt(Math.min(...ratios))}–${fmt(Math.max(...ratios))})`,
    );
  }
  return 0;
}
