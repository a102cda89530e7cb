import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectSession } from '../../src-main/api/session';
import { JobQueue } from '../../src-main/jobs/job-queue';
import { lockOwner, lockPathOf } from '../../src-main/store/owner-lock';
import { ProjectStore } from '../../src-main/store/project-store';
import { originExactStudy } from '../engine/fixtures';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'lagrange-quit-'));
  dirs.push(d);
  return d;
};

const study = (maxSteps: number) => originExactStudy(maxSteps);

const until = async (cond: () => boolean, ms = 60_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** A live process that is not this one: its pid stands for another owner. */
function otherProcess(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

describe('quitting keeps runs resumable', () => {
  it('closing the queue stores a training run as interrupted; resume continues its history', async () => {
    const path = join(tmp(), 'p.lsproj');
    let store = ProjectStore.open(path, { create: true });
    let queue = new JobQueue(store, { checkpointIntervalMs: 100, concurrency: 1 });
    const id = queue.start(study(60_000));
    const waiting = queue.start(study(10));
    await until(() => queue.list().some((j) => (j.progress?.step ?? 0) > 50));
    await queue.close();
    const stopped = store.getRun(id)!;
    expect(stopped.status).toBe('interrupted');
    expect(stopped.message).toMatch(/interrupted at step \d+ when the app closed/);
    expect(store.getRun(waiting)!.status).toBe('interrupted');
    const stepAtQuit = stopped.step;
    expect(stepAtQuit).toBeGreaterThan(50);
    const before = store.metrics(id);
    expect(before.steps.at(-1)).toBe(stepAtQuit);
    store.close();

    store = ProjectStore.open(path);
    queue = new JobQueue(store, { checkpointIntervalMs: 100 });
    queue.resume(id);
    await until(() => queue.list().some((j) => (j.progress?.step ?? 0) > stepAtQuit + 20));
    queue.cancel(id);
    expect(await queue.waitFor(id)).toBe('cancelled');
    const after = store.metrics(id);
    // The history before the quit is intact, and training went on from where it stopped.
    expect(after.steps[0]).toBe(0);
    const stride = after.steps[1]! - after.steps[0]!;
    for (let i = 0; i < before.steps.length; i++) {
      if (before.steps[i]! % stride !== 0) continue;
      expect(after.loss[after.steps.indexOf(before.steps[i]!)]).toBe(before.loss[i]);
    }
    expect(after.steps.at(-1)!).toBeGreaterThan(stepAtQuit);
    expect(new Set(after.steps).size).toBe(after.steps.length);
    store.close();
  });

  it('switching projects interrupts the old project’s runs, never fails them', async () => {
    const dir = tmp();
    const session = new ProjectSession({ checkpointIntervalMs: 100 });
    await session.open(join(dir, 'a.lsproj'), true);
    const id = session.queue!.start(study(60_000));
    await until(() => session.queue!.list().some((j) => (j.progress?.step ?? 0) > 10));
    expect(session.activeRuns).toBe(1);
    await session.open(join(dir, 'b.lsproj'), true);
    await session.close();
    const store = ProjectStore.open(join(dir, 'a.lsproj'));
    expect(store.getRun(id)!.status).toBe('interrupted');
    expect(store.getRun(id)!.step).toBeGreaterThan(10);
    store.close();
  });
});

describe('one owner per project', () => {
  it('refuses writing while another live process holds the lock, naming it; read-only works', () => {
    const path = join(tmp(), 'p.lsproj');
    const store = ProjectStore.open(path, { create: true });
    const runId = store.createRun('training elsewhere', study(10));
    store.setRunStatus(runId, 'running');
    store.close();
    expect(existsSync(lockPathOf(path))).toBe(false);

    const other = otherProcess();
    const since = '2026-11-28T08:00:00.000Z';
    writeFileSync(
      lockPathOf(path),
      JSON.stringify({ pid: other.pid, host: hostname(), since, program: 'lagrange study' }),
    );
    const bytes = readFileSync(path);
    expect(() => ProjectStore.open(path)).toThrow(
      new RegExp(`lagrange study, pid ${other.pid} on ${hostname()}, since ${since}`),
    );
    try {
      ProjectStore.open(path);
    } catch (err) {
      expect((err as { code: string }).code).toBe('locked');
    }
    const readOnly = ProjectStore.open(path, { readOnly: true });
    expect(readOnly.readOnly).toBe(true);
    // The live owner's run is not relabelled, and nothing can be written.
    expect(readOnly.getRun(runId)!.status).toBe('running');
    expect(() => readOnly.renameRun(runId, 'x')).toThrow(/read-only/);
    expect(() => readOnly.createRun('x', study(1))).toThrow(/read-only/);
    readOnly.close();
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('takes over a lock left by a crashed process, and then relabels its runs interrupted', async () => {
    const path = join(tmp(), 'p.lsproj');
    const store = ProjectStore.open(path, { create: true });
    const runId = store.createRun('was training', study(10));
    store.setRunStatus(runId, 'running');
    store.close();
    const dead = otherProcess();
    const deadPid = dead.pid!;
    dead.kill('SIGKILL');
    await new Promise((r) => dead.once('exit', r));
    writeFileSync(
      lockPathOf(path),
      JSON.stringify({ pid: deadPid, host: hostname(), since: 'x', program: 'lagrange serve' }),
    );
    const again = ProjectStore.open(path);
    expect(again.getRun(runId)!.status).toBe('interrupted');
    // the owner record moved beside the OS lock (issue 32.9): it names this process
    expect(lockOwner(path)?.pid).toBe(process.pid);
    again.close();
    expect(existsSync(lockPathOf(path))).toBe(false);
  });

  it('a session offered a locked project opens it read-only on request', async () => {
    const path = join(tmp(), 'p.lsproj');
    ProjectStore.open(path, { create: true }).close();
    const other = otherProcess();
    writeFileSync(
      lockPathOf(path),
      JSON.stringify({ pid: other.pid, host: hostname(), since: 'now', program: 'x' }),
    );
    const session = new ProjectSession();
    await expect(session.open(path)).rejects.toThrow(/open for writing in another process/);
    const store = await session.open(path, false, true);
    expect(store.readOnly).toBe(true);
    expect(() => session.queue!.start(study(5))).toThrow(/read-only/);
    await session.close();
  });
});
