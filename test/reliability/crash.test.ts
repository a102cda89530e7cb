import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killTrackedChildren, tracked } from '../child-processes';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { mersenne } from 'pure-rand/generator/mersenne';
import { ProjectStore } from '../../src-main/store/project-store';
import { coulombPair, reportOriginWindow } from '../../src-main/engine/systems/presets';
import type { TrainCheckpoint } from '../../src-main/engine/training/train';
import { ensureRendererBuilt } from '../e2e/browser';

const ROOT = join(__dirname, '../..');
// The built command, as users run it: it starts in half a second where tsx takes two or three,
// so the 20 kills take a minute or so instead of three.
const BIN = join(ROOT, 'bin/lagrange.mjs');
const KILLS = 20;
let dir: string;
beforeAll(() => {
  ensureRendererBuilt(); // builds out/main/cli.js with the rest
  dir = mkdtempSync(join(tmpdir(), 'lagrange-crash-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A timed-out test must not leave its study running (one was found training 50 minutes later).
afterEach(killTrackedChildren);

const study = (maxSteps: number) => ({
  name: 'crash target',
  system: coulombPair,
  sampling: {
    window: reportOriginWindow(),
    // Enough points that a training step takes ~0.1 ms: the kills land mid-training.
    count: 20_000,
    seed: 1,
  },
  model: { family: 'exact-form', learnable: ['k', 'alpha'], initial: { k: 1, alpha: 0.2 } },
  optimizer: { algorithm: 'adam', learningRate: 0.01 },
  stopping: { maxSteps },
  route: 'graph',
});

/** The step of the run in progress, read without disturbing the writer (WAL allows it). */
function progressedStep(project: string): number {
  try {
    const db = new Database(project, { readonly: true, fileMustExist: true });
    try {
      return (
        db
          .prepare("SELECT COALESCE(MAX(step), 0) AS s FROM runs WHERE status = 'running'")
          .get() as { s: number }
      ).s;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/**
 * Run the study CLI; kill it with SIGKILL either `killAfterMs` after start, or (with
 * `afterCheckpoint`)
 * that long after its first checkpoint reached the file — so kills land in start-up and in training
 * alike,
 * however loaded the machine is.
 */
function runCli(
  studyFile: string,
  project: string,
  kill?: { afterMs: number; afterCheckpoint: boolean },
): Promise<number | null> {
  return new Promise((resolve) => {
    const child = tracked(
      spawn(
        process.execPath,
        [BIN, 'study', studyFile, '--project', project, '--checkpoint-seconds', '0.1'],
        { cwd: ROOT, stdio: 'ignore' },
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    if (kill && !kill.afterCheckpoint)
      timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
    if (kill?.afterCheckpoint) {
      poll = setInterval(() => {
        if (progressedStep(project) > 0) {
          clearInterval(poll);
          timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
        }
      }, 50);
    }
    child.on('exit', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve(code);
    });
  });
}

describe('crash safety', () => {
  it(`a study killed with SIGKILL at ${KILLS} random moments never damages the project or loses a run`, async () => {
    const project = join(dir, 'p.lsproj');
    const short = join(dir, 'short.json');
    const long = join(dir, 'long.json');
    writeFileSync(short, JSON.stringify(study(200)));
    writeFileSync(long, JSON.stringify(study(400000)));
    // One finished run that must survive every crash.
    expect(await runCli(short, project)).toBe(0);
    const seal = (s: ProjectStore, id: number) =>
      JSON.stringify({ run: s.getRun(id), metrics: s.metrics(id) });
    let store = ProjectStore.open(project);
    const finished = store.listRuns()[0]!;
    const sealed = seal(store, finished.id);
    store.close();

    const rng = mersenne(7);
    let interruptedWithCheckpoint = 0;
    for (let i = 0; i < KILLS; i++) {
      // Three in four kills during training (0–1.5 s after the first checkpoint), one in four at
      // any moment of start-up.
      const afterCheckpoint = i % 4 !== 3;
      await runCli(long, project, {
        afterMs: afterCheckpoint ? uniformInt(rng, 0, 1500) : uniformInt(rng, 200, 3000),
        afterCheckpoint,
      });
      store = ProjectStore.open(project);
      try {
        expect(store.integrityCheck()).toBe('ok');
        expect(seal(store, finished.id).replace(/"status":"[a-z]+"/, '')).toBe(
          sealed.replace(/"status":"[a-z]+"/, ''),
        );
        const runs = store.listRuns();
        expect(runs.filter((r) => r.status === 'running' || r.status === 'queued')).toEqual([]);
        for (const r of runs.filter((x) => x.id !== finished.id)) {
          expect(r.status).toBe('interrupted');
          const cp = store.getCheckpoint<TrainCheckpoint>(r.id);
          if (!cp) continue;
          // The checkpoint and the stored metrics were written together: they agree.
          const m = store.metrics(r.id);
          expect(m.steps).toEqual(cp.history.steps);
          expect(m.loss).toEqual(cp.history.loss);
          expect(r.step).toBe(cp.step);
          if (r.id === runs.at(-1)!.id) interruptedWithCheckpoint++;
        }
      } finally {
        store.close();
      }
    }
    // The kills aimed at training found a checkpoint to resume from.
    expect(interruptedWithCheckpoint).toBeGreaterThanOrEqual(15);
  }, 600_000);
});
