// Input-dependent computations run in compute workers with time and memory budgets: the main
// thread keeps answering while they work, a hostile Lagrangian is answered (or refused) quickly,
// and a request over budget is stopped with a message naming what to change.
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src-main/api/handlers';
import { ProjectSession } from '../../src-main/api/session';
import { ComputePool } from '../../src-main/jobs/compute-pool';
import { coulombPair, reportOriginWindow } from '../../src-main/engine/systems/presets';

const session = new ProjectSession();
const handlers = createHandlers(session, 'http');
const pools: ComputePool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await session.close();
});

/** Largest gap between event-loop turns while `work` runs (the main thread's longest block). */
async function longestBlock<T>(work: Promise<T>): Promise<{ value: T; blockMs: number }> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 10);
  try {
    const value = await work;
    return { value, blockMs: worst };
  } finally {
    clearInterval(timer);
  }
}

describe('compute workers', () => {
  it('derives a hostile Lagrangian off the main thread, which stays responsive', async () => {
    await dispatch(handlers, 'system:check', { system: coulombPair }); // warm the worker
    for (const lagrangian of [
      `${Array(80).fill('sin(q0+qd0)').join('*')} + 0.5*qd0^2 + 0.5*qd1^2`,
      `${'sin('.repeat(199)}q0+qd0${')'.repeat(199)} + 0.5*qd0^2 + 0.5*qd1^2`,
    ]) {
      const t0 = performance.now();
      const { value, blockMs } = await longestBlock(
        dispatch(handlers, 'system:check', { system: { ...coulombPair, lagrangian } }),
      );
      expect(performance.now() - t0).toBeLessThan(20_000);
      expect(value).toMatchObject({ ok: true, value: { constantMass: false } });
      expect(blockMs).toBeLessThan(1000);
    }
    // errors keep their code and position across the worker
    const bad = await dispatch(handlers, 'system:check', {
      system: { ...coulombPair, lagrangian: '0.5*qd0^2 + beta*q0' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'unknown-symbol', position: 12 } });
  }, 60_000);

  it('stops a request past its time budget, and the next request still works', async () => {
    const pool = new ComputePool({ size: 1, timeoutMs: 300 });
    pools.push(pool);
    const heavy = pool.run('dataset:preview', {
      system: coulombPair,
      sampling: { window: reportOriginWindow(), count: 3_000_000, seed: 1 },
    });
    await expect(heavy).rejects.toMatchObject({
      code: 'timed-out',
      message: expect.stringMatching(
        /Drawing the dataset preview took longer than 0.3 s and was stopped/,
      ),
    });
    const light = await pool.run('dataset:preview', {
      system: coulombPair,
      sampling: { window: reportOriginWindow(), count: 50, seed: 1 },
    });
    expect(light.n).toBeGreaterThan(0);
  }, 60_000);

  it('stops a request past its memory budget with a message naming it', async () => {
    const pool = new ComputePool({ size: 1, memoryMb: 160, timeoutMs: 60_000 });
    pools.push(pool);
    await expect(
      pool.run('dataset:preview', {
        system: coulombPair,
        sampling: { window: reportOriginWindow(), count: 5_000_000, seed: 1 },
      }),
    ).rejects.toMatchObject({
      code: 'too-large',
      message: expect.stringMatching(/needed more than its memory budget \(160 MiB\)/),
    });
  }, 90_000);

  it('reports progress of a ticketed request and stops it on task:cancel within a second', async () => {
    const ticket = 'preview-under-test';
    const seen: number[] = [];
    const off = session.subscribe('task:progress', (p) => {
      if (p.ticket === ticket) seen.push(p.fraction);
    });
    // The handler itself (the schema caps previews at 50 000 points; 3 million take seconds).
    const request = handlers['dataset:preview']({
      system: coulombPair,
      sampling: { window: reportOriginWindow(), count: 3_000_000, seed: 1, countMode: 'drawn' },
      ticket,
    });
    const outcome = request.then(
      () => 'finished',
      (err: { code: string; message: string }) => err,
    );
    const t0 = performance.now();
    while (seen.length === 0 && performance.now() - t0 < 30_000)
      await new Promise((r) => setTimeout(r, 10));
    off();
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen[0]).toBeLessThan(1); // the first chunk of many, not the end
    const pressed = performance.now();
    expect(await dispatch(handlers, 'task:cancel', { ticket })).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    expect(await outcome).toMatchObject({
      code: 'cancelled',
      message: 'Drawing the dataset preview was cancelled',
    });
    expect(performance.now() - pressed).toBeLessThan(1000);
    // nothing left to cancel; the pool answers the next request
    expect(await dispatch(handlers, 'task:cancel', { ticket })).toEqual({
      ok: true,
      value: { cancelled: false },
    });
    const next = await dispatch(handlers, 'system:check', { system: coulombPair, ticket });
    expect(next).toMatchObject({
      ok: true,
      value: { parameterNames: ['m', 'k', 'alpha'], constantMass: true },
    });
  }, 60_000);
});
