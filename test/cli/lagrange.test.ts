import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracked } from '../child-processes';
import {
  coulombPair,
  harmonicOscillator,
  reportOriginWindow,
} from '../../src-main/engine/systems/presets';
import { ProjectStore } from '../../src-main/store/project-store';
import { ensureRendererBuilt, ROOT } from '../e2e/browser';

const BIN = join(ROOT, 'bin/lagrange.mjs');

/**
 * Run the built `lagrange` command into a shell pipe whose reader starts `delaySeconds` late, as
 * `lagrange study … --json | jq` on a busy machine: what it writes must still arrive whole.
 */
function lagrangeSlowReader(args: string[], delaySeconds: number) {
  const quote = (a: string) => `'${a.replaceAll("'", `'\\''`)}'`;
  const line = [process.execPath, BIN, ...args].map(quote).join(' ');
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    tracked(
      execFile(
        'sh',
        ['-c', `{ ${line} 2>&3 | (sleep ${delaySeconds}; cat); } 3>&2`],
        { cwd: ROOT, timeout: 120_000, maxBuffer: 64 << 20 },
        (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
      ),
    );
  });
}

/** Run the built `lagrange` command; never rejects, so exit codes can be checked. */
function lagrange(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    tracked(
      execFile(
        process.execPath,
        [BIN, ...args],
        { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 64 << 20 },
        (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
  });
}

const tiny = {
  name: 'cli',
  system: coulombPair,
  sampling: { window: reportOriginWindow(), count: 300, seed: 1 },
  model: { family: 'exact-form', learnable: ['k', 'alpha'], initial: { k: 1, alpha: 0.2 } },
  optimizer: { algorithm: 'adam', learningRate: 0.01 },
  stopping: { maxSteps: 100 },
};

let dir: string;
beforeAll(() => {
  ensureRendererBuilt(); // builds out/main/cli.js with the rest
  dir = mkdtempSync(join(tmpdir(), 'lagrange-cli-'));
  writeFileSync(join(dir, 'tiny.json'), JSON.stringify(tiny));
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the lagrange command (built JavaScript, no tsx)', () => {
  it('prints usage for --help, and lists its commands', async () => {
    const help = await lagrange(['study', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: lagrange study STUDY\.json/);
    expect(help.stdout).toMatch(/--dataset-csv FILE/);
    const top = await lagrange(['--help']);
    for (const c of ['study', 'sweep', 'serve', 'bench', 'merge', 'export'])
      expect(top.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });

  it('export reads a project the app has open for writing (read-only, no lock; issue 32.11)', async () => {
    const project = join(dir, 'held.lsproj');
    expect((await lagrange(['study', join(dir, 'tiny.json'), '--project', project])).code).toBe(0);
    const app = ProjectStore.open(project); // the app holds the owner lock
    try {
      const out = join(dir, 'held-export');
      const r = await lagrange(['export', project, '--out', out, '--formats', 'csv']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(readdirSync(out).some((f) => f.startsWith('run-1-'))).toBe(true);
    } finally {
      app.close();
    }
  }, 120_000);

  it('refuses unknown and malformed flags with exit 2, naming the flag', async () => {
    const bogus = await lagrange(['study', join(dir, 'tiny.json'), '--bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toMatch(/--bogus/);
    const dpi = await lagrange(['study', join(dir, 'tiny.json'), '--dpi', 'abc']);
    const style = await lagrange(['study', join(dir, 'tiny.json'), '--style', 'poster']);
    expect(style.code).toBe(2);
    expect(style.stderr).toMatch(
      /--style is one of screen, paper, paper-wide, slides, not "poster"/,
    );
    const formats = await lagrange(['study', join(dir, 'tiny.json'), '--formats', 'pdf,tiff']);
    expect(formats.code).toBe(2);
    expect(formats.stderr).toMatch(/--formats lists some of svg, png, pdf, csv, not "tiff"/);
    const map = await lagrange(['study', join(dir, 'tiny.json'), '--colour-map', 'jet']);
    expect(map.code).toBe(2);
    expect(map.stderr).toMatch(/--colour-map is one of viridis, cividis, magma, not "jet"/);
    expect(dpi.code).toBe(2);
    expect(dpi.stderr).toMatch(/--dpi takes a number, not "abc"/);
    // numbers out of range are refused before anything runs, naming the range
    const tiny = await lagrange(['study', join(dir, 'tiny.json'), '--dpi', '0']);
    expect(tiny.code).toBe(2);
    expect(tiny.stderr).toMatch(/--dpi takes 36 to 2400, not 0/);
    const half = await lagrange(['study', '--project', join(dir, 'p.lsproj'), '--resume', '1.5']);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--resume takes a whole number, not "1.5"/);
    const none = await lagrange(['nosuch']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no command "nosuch"/);
  });

  it('--json prints one JSON object with the results', async () => {
    // with a rollout the JSON is over 100 kB: more than a pipe takes in one write
    const rolled = {
      ...tiny,
      rollout: { q0: [0.4, -0.3], qd0: [0, 0], duration: 4, method: 'rk45', dt: 0.002 },
    };
    writeFileSync(join(dir, 'rolled.json'), JSON.stringify(rolled));
    const r = await lagrangeSlowReader(
      ['study', join(dir, 'rolled.json'), '--json', '--project', join(dir, 'json.lsproj')],
      2,
    );
    expect(r.code).toBe(0);
    // a pipe's writes are asynchronous: the command waits for them before it exits (it used to
    // stop at 64 KiB, cutting the JSON of any real study)
    expect(r.stdout.length).toBeGreaterThan(65_536);
    const out = JSON.parse(r.stdout) as {
      project: string;
      runId: number;
      status: string;
      results: { model: { parameterNames: string[] }; training: { parameters: number[] } };
    };
    expect(out.status).toBe('completed');
    expect(out.results.model.parameterNames).toEqual(['k', 'alpha']);
    // The same numbers as the project the run was stored in.
    const store = ProjectStore.open(out.project);
    try {
      expect(out.results.training.parameters).toEqual(
        store.getRun(out.runId)!.results!.training.parameters,
      );
    } finally {
      store.close();
    }
    expect(r.stderr).toMatch(/^study: cli$/m);
  }, 120_000);

  it('a total-derivative term: prints condition ∞ naming it, n/a for a zero true value, writes --out', async () => {
    // L = ½q̇² − ½k q² + c q q̇: c q q̇ = d/dt(c q²/2) leaves the motion alone, so c is free.
    const study = {
      name: 'total derivative',
      system: {
        name: 'oscillator with a total derivative',
        coordinates: ['q0'],
        velocities: ['qd0'],
        parameters: [
          { name: 'k', value: 1 },
          { name: 'c', value: 0 },
        ],
        lagrangian: '0.5*qd0^2 - 0.5*k*q0^2 + c*q0*qd0',
      },
      sampling: {
        window: { q: [{ min: -1, max: 1 }], qd: [{ min: -1, max: 1 }] },
        count: 500,
        seed: 1,
      },
      model: { family: 'exact-form', learnable: ['k', 'c'], initial: { k: 0.5, c: 0.3 } },
      optimizer: { algorithm: 'adam', learningRate: 0.01 },
      stopping: { maxSteps: 100 },
    };
    const file = join(dir, 'total-derivative.json');
    const out = join(dir, 'total-derivative-out.json');
    writeFileSync(file, JSON.stringify(study));
    const r = await lagrange(['study', file, '--out', out, '--project', join(dir, 'out.lsproj')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/condition ∞: the loss does not depend on c\b/);
    expect(r.stdout).toMatch(/fitted\/true: k [\d.]+, c n\/a \(true value 0\)/);
    const saved = JSON.parse(readFileSync(out, 'utf8')) as {
      results: { exact: { rank: number; conditionNumber: unknown }; ratios: { c: unknown } };
    };
    expect(saved.results.exact.rank).toBe(1);
    expect(saved.results.exact.conditionNumber).toBe('Infinity');
    expect(['Infinity', '-Infinity', 'NaN']).toContain(saved.results.ratios.c);
  }, 120_000);

  it('--dataset-csv of a measured study writes the imported points, their derivative estimates and times', async () => {
    // q = 0.7 cos 2t + 0.3 sin 2t sampled every 0.01 s: q̇ and q̈ are known in closed form.
    const q = (t: number) => 0.7 * Math.cos(2 * t) + 0.3 * Math.sin(2 * t);
    const qd = (t: number) => -1.4 * Math.sin(2 * t) + 0.6 * Math.cos(2 * t);
    const lines = ['t,x'];
    const written = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const t = Number((i * 0.01).toFixed(2));
      written.set(t, q(t));
      lines.push(`${t},${q(t)}`);
    }
    const csv = join(dir, 'trajectory.csv');
    writeFileSync(csv, lines.join('\n'));
    const study = {
      name: 'measured oscillator',
      system: harmonicOscillator,
      sampling: {
        window: { q: [{ min: -1, max: 1 }], qd: [{ min: -1, max: 1 }] },
        count: 10,
        seed: 1,
      },
      measured: {
        file: csv,
        kind: 'trajectory',
        time: 't',
        coordinates: ['x'],
        window: 21,
        order: 4,
      },
      model: { family: 'exact-form', learnable: ['k'], initial: { k: 1 } },
      optimizer: { algorithm: 'adam', learningRate: 0.05 },
      stopping: { maxSteps: 20 },
    };
    writeFileSync(join(dir, 'measured.json'), JSON.stringify(study));
    const out = join(dir, 'measured-dataset.csv');
    const r = await lagrange([
      'study',
      join(dir, 'measured.json'),
      '--dataset-csv',
      out,
      '--project',
      join(dir, 'measured.lsproj'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const [header, ...rows] = readFileSync(out, 'utf8').trim().split('\n');
    expect(header).toBe('t,q0,qd0,q0_ddot');
    expect(rows).toHaveLength(400 - 20); // the filter's half-window lost at each end
    for (const row of rows) {
      const [t, x, v, a] = row.split(',').map(Number) as [number, number, number, number];
      // the filter's smoothed value at its own time (raw q would carry all of its noise into the
      // fit's columns): a quartic fit reproduces q to ~(0.1 s)⁶·|q⁽⁶⁾|/6! ≈ 1e-7
      expect(Math.abs(x - written.get(t)!)).toBeLessThan(1e-6);
      // a quartic fit over ±0.1 s: truncation error ~ (0.1 s)⁴·|q⁽⁵⁾|/5! ≈ 3e-6 for q̇
      expect(Math.abs(v - qd(t))).toBeLessThan(1e-5);
      expect(Math.abs(a + 4 * q(t))).toBeLessThan(1e-3);
    }
    expect(Number(rows[0]!.split(',')[0])).toBeCloseTo(0.1, 12);
  });

  it('the Slurm array script runs two shards that merge into every combination once', async () => {
    const sweep = {
      ...tiny,
      stopping: { maxSteps: 20 },
      sweep: [
        { path: 'optimizer.learningRate', values: [0.01, 0.003] },
        { path: 'sampling.seed', values: [1, 2] },
      ],
    };
    const study = join(dir, 'sweep.json');
    writeFileSync(study, JSON.stringify(sweep));
    const binDir = join(dir, 'bin');
    mkdirSync(binDir);
    symlinkSync(BIN, join(binDir, 'lagrange'));
    const out = join(dir, 'results');
    for (const task of ['0', '1']) {
      const r = await new Promise<number>((resolve) =>
        execFile(
          'bash',
          [join(ROOT, 'resources/slurm/sweep-array.sh'), study, out],
          {
            env: {
              ...process.env,
              PATH: `${binDir}:${process.env.PATH}`,
              SLURM_ARRAY_TASK_ID: task,
              SLURM_ARRAY_TASK_COUNT: '2',
            },
            timeout: 120_000,
          },
          (err) => resolve(err ? 1 : 0),
        ),
      );
      expect(r).toBe(0);
    }
    const index = JSON.parse(readFileSync(join(out, 'shard-0', 'index.json'), 'utf8')) as {
      runs: unknown[];
    };
    expect(index.runs).toHaveLength(2);
    const merged = join(out, 'all.lsproj');
    const m = await lagrange([
      'merge',
      merged,
      join(out, 'shard-0.lsproj'),
      join(out, 'shard-1.lsproj'),
    ]);
    expect(m.code).toBe(0);
    const store = ProjectStore.open(merged);
    try {
      const points = store
        .listRuns()
        .map((r) => JSON.stringify(r.config.sweepPoint))
        .sort();
      expect(points).toEqual(
        [
          { 'optimizer.learningRate': 0.003, 'sampling.seed': 1 },
          { 'optimizer.learningRate': 0.003, 'sampling.seed': 2 },
          { 'optimizer.learningRate': 0.01, 'sampling.seed': 1 },
          { 'optimizer.learningRate': 0.01, 'sampling.seed': 2 },
        ]
          .map((p) => JSON.stringify(p))
          .sort(),
      );
    } finally {
      store.close();
    }
  }, 240_000);
});
