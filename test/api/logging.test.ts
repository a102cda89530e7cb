// The application log: JSON lines from the main process (api, jobs) and the worker threads
// (study-worker), read back by the logs:tail channel; an oversized log is rotated at start.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originExactStudy } from '../engine/fixtures';

const logDir = mkdtempSync(join(tmpdir(), 'lagrange-log-'));
process.env.LAGRANGE_LOG_DIR = logDir;
// Imported after the folder is set: the logger opens its file on first use.
const { createHandlers, dispatch } = await import('../../src-main/api/handlers');
const { ProjectSession } = await import('../../src-main/api/session');

const session = new ProjectSession();
const handlers = createHandlers(session, 'http');
beforeAll(async () => {
  // An oversized log from an earlier session becomes lagrange.log.1 when this one starts.
  writeFileSync(join(logDir, 'lagrange.log'), `${'x'.repeat(9 << 20)}\n`);
  await dispatch(handlers, 'project:open', { path: join(logDir, 'p.lsproj'), create: true });
});
afterAll(async () => {
  await session.close();
  rmSync(logDir, { recursive: true, force: true });
});

type Entry = Record<string, unknown>;
const entries = (): Entry[] =>
  readFileSync(join(logDir, 'lagrange.log'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Entry);

describe('application log', () => {
  it('records refused requests with channel and code, and runs from start to end', async () => {
    await dispatch(handlers, 'runs:get', { id: 4242 });
    await dispatch(handlers, 'runs:start', { study: { nonsense: true } });
    // A run whose Lagrangian has a singular mass matrix fails in its worker thread.
    const bad = originExactStudy(10);
    const study = { ...bad, system: { ...bad.system, lagrangian: 'q0 + q1' } };
    const { id } = (await handlers['runs:start']({ study })) as { id: number };
    await session.queue!.waitFor(id);
    const log = entries();
    expect(log).toContainEqual(
      expect.objectContaining({ component: 'api', channel: 'runs:get', code: 'not-found' }),
    );
    expect(log).toContainEqual(
      expect.objectContaining({ component: 'api', channel: 'runs:start', level: 40 }),
    );
    expect(log).toContainEqual(
      expect.objectContaining({ component: 'jobs', runId: id, msg: 'run started' }),
    );
    // The worker thread's own line (it carries its thread id) and the queue's verdict.
    const worker = log.find((e) => e.component === 'study-worker' && e.runId === id);
    expect(worker).toMatchObject({ thread: expect.any(Number) });
    expect(log).toContainEqual(
      expect.objectContaining({ component: 'jobs', runId: id, status: 'failed', level: 50 }),
    );
    for (const e of log) expect(e).toMatchObject({ time: expect.any(Number), pid: process.pid });
  });

  it('logs:tail returns the last lines, newest last, and the file', async () => {
    const r = await dispatch(handlers, 'logs:tail', { lines: 2 });
    expect(r.ok).toBe(true);
    const value = (r as { value: { path: string; lines: string[] } }).value;
    expect(value.path).toBe(join(logDir, 'lagrange.log'));
    expect(value.lines).toHaveLength(2);
    const all = readFileSync(value.path, 'utf8').trim().split('\n');
    expect(value.lines).toEqual(all.slice(-2));
    expect((await dispatch(handlers, 'logs:reveal', {})).ok).toBe(false); // desktop only
  });

  it('rotated the oversized log when it opened it, keeping one generation', () => {
    expect(readFileSync(join(logDir, 'lagrange.log.1'), 'utf8')).toMatch(/^x{1000}/);
    expect(readFileSync(join(logDir, 'lagrange.log'), 'utf8')).toMatch(/^\{/);
  });
});
