// Ordinary mistakes come back with their own code, never `internal`: the table in
// docs/reliability.md lists these. Each request goes through dispatch, as both transports do.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src-main/api/handlers';
import { ProjectSession } from '../../src-main/api/session';
import { coulombPair } from '../../src-main/engine/systems/presets';
import { originExactStudy } from '../engine/fixtures';

const session = new ProjectSession();
const handlers = createHandlers(session, 'http');
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lagrange-codes-'));
  await dispatch(handlers, 'project:open', { path: join(dir, 'p.lsproj'), create: true });
});
afterAll(async () => {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

const codeOf = (envelope: { ok: boolean; error?: { code: string } }) =>
  envelope.ok ? 'ok' : envelope.error!.code;

describe('error codes for ordinary mistakes', () => {
  it('cancel, pause, resume, get or delete a run that does not exist: not-found', async () => {
    for (const channel of [
      'runs:cancel',
      'runs:pause',
      'runs:resume',
      'runs:get',
      'runs:delete',
    ] as const)
      expect(codeOf(await dispatch(handlers, channel, { id: 4242 })), channel).toBe('not-found');
  });

  it('a refused study names each field it refuses (the form marks them there)', async () => {
    const study = originExactStudy(10);
    const r = await dispatch(handlers, 'runs:start', {
      study: {
        ...study,
        sampling: { ...study.sampling, count: -5 },
        optimizer: { ...study.optimizer, learningRate: -1 },
      },
    });
    expect(r.ok).toBe(false);
    const fields = r.ok ? [] : (r.error.fields ?? []);
    expect(fields.map((f) => f.path).sort()).toEqual([
      'study.optimizer.learningRate',
      'study.sampling.count',
    ]);
    expect(fields.find((f) => f.path === 'study.sampling.count')!.message).toMatch(
      />=\s*1|at least 1/,
    );
    // refused where it entered: no run was recorded (the job queue takes only parsed studies)
    const listed = await dispatch(handlers, 'runs:list', {});
    expect(listed).toEqual({ ok: true, value: [] });
  });

  it('a folder opened as a project: not-a-database, naming the folder', async () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const r = await dispatch(handlers, 'project:open', { path: folder });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'not-a-database', message: expect.stringMatching(/is a folder/) },
    });
  });

  it('a constant beyond float64 (10^400): overflow at its position, not a singular mass', async () => {
    const lagrangian = '0.5*10^400*qd0^2 + 0.5*qd1^2 - q0^2';
    const r = await dispatch(handlers, 'system:check', {
      system: { ...coulombPair, lagrangian },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'overflow' } });
    const check = (r as { error: { position?: number; message: string } }).error;
    expect(check.message).toMatch(/10\^400/);
    expect(check.position).toBe(lagrangian.indexOf('10^400'));
    // the same for a folded function and a 0/0
    for (const [part, code] of [
      ['exp(1000)', 'overflow'],
      ['0/0', 'invalid-number'],
    ] as const) {
      const text = `0.5*qd0^2 + 0.5*qd1^2 + ${part}*q0`;
      const answer = await dispatch(handlers, 'system:check', {
        system: { ...coulombPair, lagrangian: text },
      });
      expect(answer, part).toMatchObject({
        ok: false,
        error: { code, position: text.indexOf(part) },
      });
    }
  });

  it('a sweep over a setting that does not exist: invalid-study, naming it', async () => {
    const study = {
      ...originExactStudy(10),
      sweep: [{ path: 'optimizer.learningRat', values: [0.1, 0.2] }],
    };
    const r = await dispatch(handlers, 'runs:start', { study });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid-study', message: expect.stringMatching(/learningRat/) },
    });
  });

  it('a bundle cancelled by its ticket ends with cancelled, not with its files', async () => {
    const { id } = (await handlers['runs:start']({ study: originExactStudy(20) })) as {
      id: number;
    };
    await session.queue!.waitFor(id);
    const ticket = 'bundle-under-test';
    const bundle = handlers['export:bundle']({ runIds: [id], dir: join(dir, 'bundle'), ticket });
    const outcome = bundle.then(
      () => 'finished',
      (err: { code: string }) => err.code,
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(await dispatch(handlers, 'task:cancel', { ticket })).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    expect(await outcome).toBe('cancelled');
  });
});
