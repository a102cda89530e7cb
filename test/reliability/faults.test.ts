import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectSession } from '../../src-main/api/session';
import { runStudy } from '../../src-main/study/run-study';
import { coulombPair, reportOriginWindow } from '../../src-main/engine/systems/presets';
import type { StudySpec } from '../../src-shared/study/study-schema';

const base: StudySpec = {
  name: 'faults',
  system: {
    ...coulombPair,
    coordinates: ['q0', 'q1'],
    velocities: ['qd0', 'qd1'],
    parameters: coulombPair.parameters.map((p) => ({ ...p })),
  },
  sampling: {
    window: reportOriginWindow(),
    count: 300,
    seed: 1,
  },
  model: { family: 'exact-form', learnable: ['k', 'alpha'] },
  optimizer: { algorithm: 'adam', learningRate: 0.01 },
  stopping: { maxSteps: 50 },
};

let dir: string;
let session: ProjectSession;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lagrange-faults-'));
  session = new ProjectSession();
  await session.open(join(dir, 'p.lsproj'), true);
});
afterAll(async () => {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('numeric faults', () => {
  it('a singular mass matrix during training (learnable m from 0) stops the run as diverged, with the reason', async () => {
    const { results } = await runStudy({
      ...base,
      model: {
        family: 'exact-form',
        learnable: ['m', 'k', 'alpha'],
        initial: { m: 0, k: 1, alpha: 1 },
      },
      route: 'graph',
    });
    expect(results.training.status).toBe('diverged');
    expect(results.training.message).toMatch(
      /^diverged at step 0: the loss or its gradient is not finite/,
    );
  });

  it('failed jobs name their problem and leave the queue usable', async () => {
    const queue = session.queue!;
    const store = session.store!;
    const cases: Array<[Partial<StudySpec>, RegExp]> = [
      [
        { system: { ...base.system, lagrangian: '0.5*(qd0^2 + qd1^2) - sqrt(q0) - k*q1^2' } },
        /not finite at \d+ of/,
      ],
      [
        {
          sampling: {
            ...base.sampling,
            window: {
              ...base.sampling.window,
              q: [
                { min: 0, max: 0.01 },
                { min: 0, max: 0.01 },
              ],
            },
          },
        },
        /no admissible point/,
      ],
      [
        { system: { ...base.system, lagrangian: '-0.5*k*(q0^2 + q1^2)' } },
        /does not depend on any velocity/,
      ],
      [
        {
          landscape: {
            x: { parameter: 'beta', min: 0, max: 1, count: 10 },
            y: { parameter: 'alpha', min: 0, max: 2, count: 10 },
          },
        },
        /"beta" is not a parameter/,
      ],
    ];
    for (const [patch, message] of cases) {
      const id = queue.start({ ...base, ...patch });
      expect(await queue.waitFor(id)).toBe('failed');
      expect(store.getRun(id)!.message).toMatch(message);
    }
    const ok = queue.start(base);
    expect(await queue.waitFor(ok)).toBe('completed');
  });
});

describe('a diverged fit', () => {
  const diverging: StudySpec = {
    ...base,
    optimizer: { algorithm: 'gd', learningRate: 1e9 },
    landscape: {
      x: { parameter: 'k', min: 0, max: 8, count: 20 },
      y: { parameter: 'alpha', min: 0, max: 2, count: 20 },
    },
    rollout: { q0: [-0.35, 0.42], qd0: [0.1, -0.05], duration: 1 },
  };

  it('skips its landscape and rollout with the reason, unless asked', async () => {
    const skipped = (await runStudy(diverging)).results;
    expect(skipped.training.status).toBe('diverged');
    expect(skipped.landscape).toBeUndefined();
    expect(skipped.rollout).toBeUndefined();
    expect(skipped.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^landscape skipped: the fit diverged \(diverged at step \d+/),
        expect.stringMatching(/^rollout skipped: the fit diverged .*"analyseDiverged": true/),
      ]),
    );
    const asked = (await runStudy({ ...diverging, analyseDiverged: true })).results;
    expect(asked.landscape).toBeDefined();
  });
});
