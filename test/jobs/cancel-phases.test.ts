// Cancel means stop in every phase, within about a second: the stop flag is shared memory, so a
// worker busy in a long synchronous phase (landscape batches, rollout steps) sees it at once.
// The run ends `cancelled during <phase>` with its fit kept — never `completed`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobQueue } from '../../src-main/jobs/job-queue';
import { ProjectStore } from '../../src-main/store/project-store';
import { originExactStudy } from '../engine/fixtures';
import type { StudySpec } from '../../src-shared/study/study-schema';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const base: StudySpec = originExactStudy(50, 2000);

async function cancelDuring(study: StudySpec, phase: string, how: 'cancel' | 'pause' = 'cancel') {
  const dir = mkdtempSync(join(tmpdir(), 'lagrange-cancel-'));
  dirs.push(dir);
  const store = ProjectStore.open(join(dir, 'p.lsproj'), { create: true });
  const queue = new JobQueue(store);
  let inPhase = false;
  queue.on('progress', (p) => {
    if (p.phase === phase) inPhase = true;
  });
  const id = queue.start(study);
  const t0 = Date.now();
  while (!inPhase) {
    if (Date.now() - t0 > 60_000) throw new Error(`never reached ${phase}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 300)); // well inside the phase
  const pressed = performance.now();
  if (how === 'cancel') queue.cancel(id);
  else queue.pause(id);
  const status = await queue.waitFor(id);
  const stopMs = performance.now() - pressed;
  const run = store.getRun(id)!;
  console.log(`${how} during ${phase}: stopped in ${Math.round(stopMs)} ms: ${run.message}`);
  // Pause means resumable: the same run continues to the end
  let resumed: { status: string; run: ReturnType<typeof store.getRun> } | undefined;
  if (how === 'pause') {
    queue.resume(id);
    resumed = { status: await queue.waitFor(id), run: store.getRun(id) };
  }
  await queue.close();
  store.close();
  return { status, stopMs, run, resumed };
}

describe('cancel stops every long phase', () => {
  it('while sampling a 5-million-point window (before training: nothing to keep)', async () => {
    const study = { ...base, sampling: { ...base.sampling, count: 5_000_000 } };
    const { status, stopMs, run } = await cancelDuring(study, 'dataset');
    expect(status).toBe('cancelled');
    expect(run.message).toBe('cancelled during dataset');
    // 2¹⁶ draws or samples between checks (≈ 0.1 s); the whole dataset would take ~5 s more.
    expect(stopMs).toBeLessThan(5000); // measured 0.1–0.6 s; loose for a loaded CI machine
  }, 120_000);

  it('while importing a large measured CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lagrange-csv-'));
    dirs.push(dir);
    const file = join(dir, 'samples.csv');
    // 1.5 million rows of q, q̇, q̈ of two coordinates (~110 MB): a few seconds to parse.
    const rows = ['q0,q1,qd0,qd1,qdd0,qdd1'];
    for (let i = 0; i < 1_500_000; i++) rows.push(`${i % 7},0.5,0.25,-1,2,${i % 3}`);
    writeFileSync(file, rows.join('\n'));
    const study: StudySpec = {
      ...base,
      measured: {
        file,
        kind: 'samples',
        q: ['q0', 'q1'],
        qd: ['qd0', 'qd1'],
        qdd: ['qdd0', 'qdd1'],
      },
    };
    const { status, stopMs, run } = await cancelDuring(study, 'dataset');
    expect(status).toBe('cancelled');
    expect(run.message).toBe('cancelled during dataset');
    expect(stopMs).toBeLessThan(5000); // measured 0.1–0.6 s; loose for a loaded CI machine
  }, 120_000);

  it('during validation on a 5-million-point window', async () => {
    const study: StudySpec = {
      ...base,
      validation: { sampling: { ...base.sampling, count: 5_000_000, seed: 2 } },
    };
    const { status, stopMs, run } = await cancelDuring(study, 'validation');
    expect(status).toBe('cancelled');
    expect(run.message).toBe('cancelled during validation (the fit completed)');
    expect(stopMs).toBeLessThan(5000); // measured 0.1–0.6 s; loose for a loaded CI machine
    expect(run.results?.training.steps).toBe(50);
  }, 120_000);

  it('Pause during validation keeps the run resumable, and resuming finishes it (30.3)', async () => {
    // before: the run was stored as cancelled, not paused
    const study: StudySpec = {
      ...base,
      validation: { sampling: { ...base.sampling, count: 3_000_000, seed: 2 } },
    };
    const { status, run, resumed } = await cancelDuring(study, 'validation', 'pause');
    expect(status).toBe('paused');
    expect(run.message).toMatch(/paused during validation \(the fit had finished\)/);
    expect(resumed!.status).toBe('completed');
    expect(resumed!.run!.results?.validation).toBeDefined();
    expect(resumed!.run!.results?.training.steps).toBe(50);
  }, 180_000);

  it('during a large general landscape', async () => {
    const { status, stopMs, run } = await cancelDuring(
      {
        ...base,
        landscape: {
          x: { parameter: 'k', min: 0, max: 8, count: 1500 },
          y: { parameter: 'alpha', min: 0, max: 2, count: 1500 },
          path: 'general',
        },
      },
      'landscape',
    );
    expect(status).toBe('cancelled');
    expect(run.message).toMatch(/cancelled during landscape \(the fit completed\)/);
    // about one batch (≈ 0.2 s on a quiet machine); the whole phase would take minutes. The bound
    // is loose so a loaded CI machine does not flake.
    expect(stopMs).toBeLessThan(5000);
    expect(run.results?.training.steps).toBe(50); // the fit is kept
  }, 120_000);

  it('during a long rollout', async () => {
    const { status, stopMs, run } = await cancelDuring(
      {
        ...base,
        rollout: { q0: [-0.35, 0.42], qd0: [0.1, -0.05], duration: 1e6, method: 'rk4', dt: 1 },
      },
      'rollout',
    );
    expect(status).toBe('cancelled');
    expect(run.message).toMatch(/cancelled during rollout/);
    expect(stopMs).toBeLessThan(5000); // 256 steps between checks; the rollout would take minutes
  }, 120_000);
});

describe('a stop during the last phase that runs still counts (30.3)', () => {
  const stopIn = async (study: StudySpec, phase: string) => {
    const { runStudy } = await import('../../src-main/study/run-study');
    let entered = false;
    return runStudy(study, {
      onPhase: (p) => {
        if (p === phase) entered = true;
      },
      shouldStop: () => entered,
    });
  };

  it('Cancel during the exact solve stops it: cancelled during exact-solve', async () => {
    const out = await stopIn(base, 'exact-solve');
    expect(out.results.cancelledIn).toBe('exact-solve');
    expect(out.results.exact).toBeUndefined(); // the solve itself stopped
    expect(out.results.training.steps).toBe(50);
  }, 60_000);

  it('Cancel during the last phase that runs: cancelled, not completed', async () => {
    // before: no phase after it applied, so nothing looked at the stop and the run ended
    // completed
    const out = await stopIn(base, 'admissibility');
    expect(out.results.cancelledIn).toBe('admissibility');
    expect(out.results.training.steps).toBe(50);
  }, 60_000);
});
