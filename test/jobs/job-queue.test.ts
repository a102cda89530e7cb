import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../src-main/store/project-store';
import { JobQueue, type JobProgress } from '../../src-main/jobs/job-queue';
import { coulombPair, reportOriginWindow } from '../../src-main/engine/systems/presets';
import type { StudySpec } from '../../src-shared/study/study-schema';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'lagrange-jobs-'));
  dirs.push(d);
  return d;
};

function study(maxSteps: number, route: StudySpec['route'] = 'graph', count = 1000): StudySpec {
  return {
    name: 'origin window exact fit',
    system: {
      ...coulombPair,
      coordinates: [...coulombPair.coordinates],
      velocities: [...coulombPair.velocities],
      parameters: coulombPair.parameters.map((p) => ({ ...p })),
    },
    sampling: {
      window: reportOriginWindow(),
      count,
      seed: 1,
      countMode: 'drawn',
    },
    model: { family: 'exact-form', learnable: ['k', 'alpha'], initial: { k: 1, alpha: 0.2 } },
    optimizer: { algorithm: 'adam', learningRate: 0.01 },
    stopping: { maxSteps },
    route,
  };
}

const until = async (cond: () => boolean, ms = 60_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('jobs in worker threads', () => {
  it('runs a short training job and stores its metrics and results', async () => {
    const store = ProjectStore.open(join(tmp(), 'p.lsproj'), { create: true });
    const queue = new JobQueue(store);
    const progress: JobProgress[] = [];
    queue.on('progress', (p) => progress.push(p));
    const id = queue.start(study(1000));
    expect(await queue.waitFor(id)).toBe('completed');
    const run = store.getRun(id)!;
    expect(run.status).toBe('completed');
    const results = run.results as {
      training: { parameters: number[] };
      exact: { parameters: number[] };
    };
    expect(Math.abs(results.training.parameters[0]! - 4)).toBeLessThan(1e-3);
    expect(Math.abs(results.exact.parameters[1]! - 1)).toBeLessThan(1e-9);
    const m = store.metrics(id);
    expect(m.steps[0]).toBe(0);
    expect(m.steps.at(-1)).toBe(1000);
    expect(m.loss[0]).toBeGreaterThan(m.loss.at(-1)! * 1e4);
    expect(progress.some((p) => p.phase === 'training')).toBe(true);
    await queue.close();
    store.close();
  });

  it('analysis phases report their own progress (rollout and landscape fill the bar from 0 to 1)', async () => {
    const store = ProjectStore.open(join(tmp(), 'p.lsproj'), { create: true });
    const queue = new JobQueue(store, { progressIntervalMs: 0 });
    const progress: JobProgress[] = [];
    queue.on('progress', (p) => progress.push(p));
    const id = queue.start({
      ...study(50),
      // A general landscape of 160 000 cells (about 70 kernel calls) and a long RK4 rollout.
      landscape: {
        x: { parameter: 'k', min: 0, max: 8, count: 400 },
        y: { parameter: 'alpha', min: 0, max: 2, count: 400 },
        path: 'general',
      },
      rollout: { q0: [-0.5, 0.5], qd0: [0, 0], duration: 20, method: 'rk4', dt: 0.001 },
    });
    expect(await queue.waitFor(id)).toBe('completed');
    for (const phase of ['landscape', 'rollout'] as const) {
      const seen = progress.filter((p) => p.phase === phase).map((p) => p.fraction);
      // Entering the phase resets the bar; then it rises without going back.
      expect(seen[0]).toBe(0);
      expect(seen.length).toBeGreaterThan(3);
      expect(seen.some((f) => f > 0.2 && f < 1)).toBe(true);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
      const timed = progress.filter((p) => p.phase === phase && p.fraction > 0.1);
      expect(timed.every((p) => p.etaSeconds !== null && p.etaSeconds >= 0)).toBe(true);
    }
    await queue.close();
    store.close();
  });

  it('a killed worker leaves the run interrupted; resume continues from the checkpoint with the history intact', async () => {
    const path = join(tmp(), 'p.lsproj');
    let store = ProjectStore.open(path, { create: true });
    let queue = new JobQueue(store, { checkpointIntervalMs: 100 });
    // 50 000 points: still training when the kill comes.
    const id = queue.start(study(8000, 'graph', 50_000));
    await until(() => (store.getRun(id)?.step ?? 0) > 0);
    const checkpointStep = store.getRun(id)!.step;
    await queue.kill(id);
    await queue.close();
    store.close();

    store = ProjectStore.open(path);
    const interrupted = store.getRun(id)!;
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.step).toBeGreaterThanOrEqual(checkpointStep);
    const before = store.metrics(id);
    expect(before.steps[0]).toBe(0);

    queue = new JobQueue(store);
    queue.resume(id);
    expect(await queue.waitFor(id)).toBe('completed');
    const after = store.metrics(id);
    expect(after.steps[0]).toBe(0);
    expect(after.steps.at(-1)).toBe(8000);
    // The records from before the kill are still there (thinning keeps steps at multiples of its
    // stride).
    const stride = after.steps[1]! - after.steps[0]!;
    for (let i = 0; i < before.steps.length; i++) {
      if (before.steps[i]! % stride !== 0) continue;
      const j = after.steps.indexOf(before.steps[i]!);
      expect(j).toBeGreaterThanOrEqual(0);
      expect(after.loss[j]).toBe(before.loss[i]);
    }
    expect(store.getRun(id)!.message).toMatch(/completed/);
    await queue.close();
    store.close();
  });

  it('pauses, resumes and cancels', async () => {
    const store = ProjectStore.open(join(tmp(), 'p.lsproj'), { create: true });
    const queue = new JobQueue(store, { checkpointIntervalMs: 100 });
    const id = queue.start(study(40000, 'graph', 50_000));
    await until(() => queue.list().some((j) => (j.progress?.step ?? 0) > 10));
    queue.pause(id);
    expect(await queue.waitFor(id)).toBe('paused');
    const pausedAt = store.getRun(id)!.step;
    expect(pausedAt).toBeGreaterThan(0);
    queue.resume(id);
    await until(() => queue.list().some((j) => (j.progress?.step ?? 0) > pausedAt));
    queue.cancel(id);
    expect(await queue.waitFor(id)).toBe('cancelled');
    expect(store.getRun(id)!.step).toBeGreaterThan(pausedAt);
    await queue.close();
    store.close();
  });
});
