// One writer per project: a lock file beside the project names the process that has it open for
// writing. A second process is refused with that name (and may open the file read-only); a lock
// left by a crashed process is taken over. Runs are only relabelled by the lock's holder.
import {
  closeSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { AppError } from '../../src-shared/errors';

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly program: string;
}

/** A holder refreshes its lock's mtime this often; one not refreshed for STALE_MS is dead. */
const HEARTBEAT_MS = 10_000;
const STALE_MS = 60_000;

export const lockPathOf = (projectPath: string): string => `${projectPath}.lock`;

/** Locks this process holds, counted: one process may open its own project more than once. */
const held = new Map<string, { count: number; heartbeat: NodeJS.Timeout }>();

export class ProjectLockedError extends AppError {
  constructor(
    readonly projectPath: string,
    readonly owner: LockOwner,
  ) {
    super(
      'locked',
      `${projectPath} is open for writing in another process (${describeOwner(owner)}). ` +
        'Open it read-only, or close it there first.',
    );
    this.name = 'ProjectLockedError';
  }
}

export function describeOwner(o: LockOwner): string {
  return `${o.program}, pid ${o.pid} on ${o.host}, since ${o.since}`;
}

/** Take the project's lock, or throw ProjectLockedError naming the live holder. */
export function acquireLock(
  projectPath: string,
  program = programName(),
): { release: () => void; fresh: boolean } {
  const path = lockPathOf(projectPath);
  const mine = held.get(path);
  if (mine) {
    mine.count++;
    return { release: once(() => release(path)), fresh: false };
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      const owner: LockOwner = {
        pid: process.pid,
        host: hostname(),
        since: new Date().toISOString(),
        program,
      };
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      const heartbeat = setInterval(() => touch(path), HEARTBEAT_MS);
      heartbeat.unref();
      held.set(path, { count: 1, heartbeat });
      return { release: once(() => release(path)), fresh: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(path);
      if (owner && isAlive(owner, path)) throw new ProjectLockedError(projectPath, owner);
      rmSync(path, { force: true }); // a crashed holder's lock: take it over
    }
  }
  throw new AppError('locked', `${projectPath}: could not take its lock file ${path}`);
}

/** Who holds the project's lock now, if anyone alive. */
export function lockOwner(projectPath: string): LockOwner | null {
  const path = lockPathOf(projectPath);
  const owner = readOwner(path);
  return owner && isAlive(owner, path) ? owner : null;
}

function release(path: string): void {
  const mine = held.get(path);
  if (!mine || --mine.count > 0) return;
  clearInterval(mine.heartbeat);
  held.delete(path);
  const owner = readOwner(path);
  if (owner?.pid === process.pid && owner.host === hostname()) rmSync(path, { force: true });
}

function readOwner(path: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof o.pid !== 'number' || typeof o.host !== 'string') return null;
    return {
      pid: o.pid,
      host: o.host,
      since: typeof o.since === 'string' ? o.since : 'unknown',
      program: typeof o.program === 'string' ? o.program : 'unknown program',
    };
  } catch {
    return null; // unreadable or half-written: treated as stale
  }
}

/** On this host the process table decides; elsewhere, the heartbeat's age. */
function isAlive(owner: LockOwner, path: string): boolean {
  if (owner.host === hostname()) {
    // Ours: held by this thread, or by the main thread when asked from a worker; otherwise an
    // old lock whose pid this process happens to reuse.
    if (owner.pid === process.pid) return held.has(path) || !isMainThread;
    try {
      process.kill(owner.pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
    }
  }
  try {
    return Date.now() - statSync(path).mtimeMs < STALE_MS;
  } catch {
    return false;
  }
}

function touch(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // the folder went away or became read-only; the lock simply ages
  }
}

function programName(): string {
  if (process.versions.electron) return 'Lagrange Studio (desktop)';
  const script = process.argv.slice(1, 4).join(' ');
  return /serve/.test(script)
    ? 'lagrange serve'
    : /study|sweep/.test(script)
      ? 'lagrange study'
      : 'lagrange';
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}
