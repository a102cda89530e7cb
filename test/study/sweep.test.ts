import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expandSweep, shardOf } from '../../src-main/study/sweep';
import { parseStudy } from '../../src-shared/study/study-schema';
import { mergeProjects } from '../../src-main/store/merge-projects';
import { ProjectStore } from '../../src-main/store/project-store';
import { coulombPair, reportOriginWindow } from '../../src-main/engine/systems/presets';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lagrange-sweep-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = {
  name: 'sweep',
  system: coulombPair,
  sampling: {
    window: reportOriginWindow(),
    count: 300,
    seed: 1,
  },
  model: { family: 'exact-form', learnable: ['k', 'alpha'], initial: { k: 1, alpha: 0.2 } },
  optimizer: { algorithm: 'adam', learningRate: 0.01 },
  stopping: { maxSteps: 200 },
  sweep: [
    { path: 'optimizer.learningRate', values: [0.01, 0.003] },
    { path: 'sampling.seed', values: [1, 2] },
  ],
};

describe('sweeps', () => {
  it('refuses more than 10 000 combinations at once, with the count, before building any', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1e-4 * (i + 1));
    const huge = parseStudy({
      ...base,
      sweep: [
        { path: 'optimizer.learningRate', values },
        { path: 'sampling.seed', values: Array.from({ length: 1000 }, (_, i) => i) },
      ],
    });
    const started = performance.now();
    expect(() => expandSweep(huge)).toThrow(/1,000,000 combinations \(1000 × 1000\)/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('expand to the cartesian product, each named after its setting', () => {
    const runs = expandSweep(parseStudy(base));
    expect(runs.map((r) => r.study.name)).toEqual([
      'sweep [optimizer.learningRate=0.01, sampling.seed=1]',
      'sweep [optimizer.learningRate=0.01, sampling.seed=2]',
      'sweep [optimizer.learningRate=0.003, sampling.seed=1]',
      'sweep [optimizer.learningRate=0.003, sampling.seed=2]',
    ]);
    expect(runs[2]!.study.optimizer.learningRate).toBe(0.003);
    expect(runs[3]!.study.sampling.seed).toBe(2);
    expect(runs[0]!.study.sweep).toBeUndefined();
  });

  it('refuses settings that do not exist or values the study schema refuses', () => {
    expect(() =>
      expandSweep(
        parseStudy({ ...base, sweep: [{ path: 'optimizer.nothing.deeper', values: [1] }] }),
      ),
    ).toThrow(/not a study setting/);
    expect(() =>
      expandSweep(parseStudy({ ...base, sweep: [{ path: '__proto__.x', values: [1] }] })),
    ).toThrow(/not a study setting/);
    expect(() =>
      expandSweep(
        parseStudy({ ...base, sweep: [{ path: 'optimizer.learningRate', values: [-1] }] }),
      ),
    ).toThrow(/learningRate/);
  });

  it('shards split the runs evenly and completely', () => {
    const items = [0, 1, 2, 3, 4];
    expect(shardOf(items, '1/2')).toEqual([0, 2, 4]);
    expect(shardOf(items, '2/2')).toEqual([1, 3]);
    expect(() => shardOf(items, '3/2')).toThrow(/1 ≤ i ≤ n/);
  });

  it('a 2-shard sweep run as two processes merges into one project with all runs', async () => {
    const file = join(dir, 'sweep.json');
    writeFileSync(file, JSON.stringify(base));
    const shard = (i: number) =>
      run(
        process.execPath,
        [
          '--import',
          'tsx',
          'src-main/cli/study.ts',
          file,
          '--shard',
          `${i}/2`,
          '--project',
          join(dir, `shard${i}.lsproj`),
        ],
        { cwd: ROOT },
      );
    const [a, b] = await Promise.all([shard(1), shard(2)]);
    expect(a.stdout).toMatch(/shard 1\/2: 2/);
    expect(b.stdout).toMatch(/shard 2\/2: 2/);
    const merged = join(dir, 'merged.lsproj');
    expect(
      mergeProjects(merged, [join(dir, 'shard1.lsproj'), join(dir, 'shard2.lsproj')]).imported,
    ).toBe(4);
    const store = ProjectStore.open(merged);
    const runs = store.listRuns();
    expect(runs.map((r) => r.name).sort()).toEqual(
      expandSweep(parseStudy(base))
        .map((r) => r.study.name)
        .sort(),
    );
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    for (const r of runs) expect(store.metrics(r.id).steps.at(-1)).toBe(200);
    expect(store.integrityCheck()).toBe('ok');
    store.close();
  });
});
