// One writer per project. The lock is an OS lock (SQLite's fcntl lock, held in an open EXCLUSIVE
// transaction on `<project>.lock`): taking it is atomic, two processes can never both hold it,
// and it dies with its process — after a crash, a reboot or in a container whose pids repeat there
// is nothing stale to take over (issue 32.9, 32.10). `<project>.lock-owner` says who holds it, for
// the message a second process shows; it is information only, never the lock. The lock file stays
// beside the project (unlinking it would let a process that opened the old file and one that
// created a new one both lock). A lock file an older version wrote (JSON with a pid) is honoured
// while that pid lives and replaced once it is dead.
import Database from 'better-sqlite3';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { AppError } from '../../src-shared/errors';
import { sqliteOptions } from './native-binding';

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly program: string;
}

export const lockPathOf = (projectPath: string): string => `${projectPath}.lock`;
const ownerPathOf = (lockPath: string): string => `${lockPath}-owner`;

/** Locks this thread holds, counted: one process may open its own project more than once. */
interface Held {
  count: number;
  readonly db: Database.Database;
  /** Our descriptor of the lock file: pins its inode for the check in lockFile. */
  readonly fd: number;
}
const held = new Map<string, Held>();

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
  checkLockPath(projectPath, path);
  replaceLegacyLock(projectPath, path);
  const options = { timeout: 0, ...sqliteOptions() }; // a missing build names its fix
  for (let attempt = 0, busy = 0; attempt < 5; attempt++) {
    let lock: Held | null;
    try {
      lock = lockFile(projectPath, path, options);
    } catch (err) {
      // Openers at the same instant can all be refused (each holds SHARED while the others try
      // for EXCLUSIVE, and none waits): retry after a short random pause; a live holder keeps
      // its lock through all of them (about 0.2 s at most), so it is still refused.
      if (!(err instanceof ProjectLockedError) || ++busy > CONTENTION_RETRIES) throw err;
      pause(5 + Math.random() * 25);
      attempt--;
      continue;
    }
    if (lock) {
      held.set(path, lock);
      writeOwner(ownerPathOf(path), {
        pid: process.pid,
        host: hostname(),
        since: new Date().toISOString(),
        program,
      });
      return { release: once(() => release(path)), fresh: true };
    }
  }
  throw new AppError('locked', `${projectPath}: its lock file ${path} kept changing; try again`);
}

/**
 * Lock the file at `path` and check it is still the file there. Our own descriptor pins the
 * inode we opened (it cannot be freed and reused while open); SQLite's EXCLUSIVE transaction in
 * exclusive locking mode takes and keeps the OS lock on it. A releasing holder unlinks the file
 * while still holding it, so when the path no longer names our inode, the file we locked was
 * released and replaced: null (retry). Never read the file with fs while holding: closing any
 * descriptor of a file drops the process's fcntl locks on it.
 */
function lockFile(
  projectPath: string,
  path: string,
  options: { timeout: number; nativeBinding?: string },
): Held | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
  } catch (err) {
    throw new AppError(
      'locked',
      `${projectPath}: cannot open its lock file ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const inode = fstatSync(fd).ino;
  let db: Database.Database;
  try {
    db = new Database(path, options);
  } catch (err) {
    closeSync(fd);
    throw new AppError(
      'locked',
      `${projectPath}: cannot open its lock file ${path} (${(err as Error).message})`,
    );
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER)');
    db.prepare('DELETE FROM holder').run();
    db.prepare('INSERT INTO holder VALUES (?)').run(process.pid);
    db.exec('COMMIT'); // exclusive locking mode keeps the lock after the first write
  } catch (err) {
    db.close();
    closeSync(fd);
    if ((err as { code?: string }).code !== 'SQLITE_BUSY')
      throw new AppError(
        'locked',
        `${projectPath}: cannot take its lock ${path} (${(err as Error).message})`,
      );
    throw new ProjectLockedError(projectPath, readOwner(ownerPathOf(path)) ?? UNKNOWN_OWNER);
  }
  if (statSync(path, { throwIfNoEntry: false })?.ino === inode) return { count: 1, db, fd };
  db.close();
  closeSync(fd);
  return null;
}

/** Retries when several openers collide (see acquireLock). */
const CONTENTION_RETRIES = 8;
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

const UNKNOWN_OWNER: LockOwner = {
  pid: 0,
  host: 'unknown host',
  since: 'unknown',
  program: 'another program',
};

/** A folder (or other non-file) where the lock file goes is named, not Node's EISDIR. */
function checkLockPath(projectPath: string, path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isFile())
    throw new AppError(
      'bad-path',
      `${projectPath} cannot be opened for writing: its lock file ${path} is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}; remove or rename it`,
    );
}

/** An older version's JSON lock: honoured while its process lives, replaced once it is dead. */
function replaceLegacyLock(projectPath: string, path: string): void {
  let head: string;
  try {
    const fd = openSync(path, 'r');
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    closeSync(fd);
    head = buf.subarray(0, n).toString('latin1');
  } catch {
    return;
  }
  if (head === '' || head.startsWith('SQLite format 3')) return;
  const owner = readOwner(path);
  if (owner && legacyAlive(owner)) throw new ProjectLockedError(projectPath, owner);
  rmSync(path, { force: true });
}

/** Who holds the project's lock now, if anyone (probes the OS lock without keeping it). */
export function lockOwner(projectPath: string): LockOwner | null {
  const path = lockPathOf(projectPath);
  if (held.has(path)) return readOwner(ownerPathOf(path));
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: 0, fileMustExist: true, ...sqliteOptions() });
  } catch {
    return null; // no lock file: nobody
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return null;
  } catch {
    return readOwner(ownerPathOf(path)) ?? UNKNOWN_OWNER;
  } finally {
    db.close();
  }
}

function release(path: string): void {
  const mine = held.get(path);
  if (!mine || --mine.count > 0) return;
  held.delete(path);
  // unlinked while still held: a process that opened this file and locks it after us finds the
  // path no longer names its inode and retries (lockFile). Where an open file cannot be
  // unlinked (Windows), it stays: the next taker locks it as it is.
  for (const file of [ownerPathOf(path), path, `${path}-journal`])
    try {
      rmSync(file, { force: true });
    } catch {
      // kept
    }
  mine.db.close();
  closeSync(mine.fd);
}

/** The owner record, written whole (a reader never sees half of it). */
function writeOwner(path: string, owner: LockOwner): void {
  try {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(owner));
    renameSync(tmp, path);
  } catch {
    // a read-only sidecar only loses the name in a second process's message
  }
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
    return null;
  }
}

/** An older version's lock on this host: alive while its pid is (elsewhere: assumed alive). */
function legacyAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
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
