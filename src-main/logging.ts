// The application log: one JSON object per line (pino), written by the main process and by its
// worker threads to the same file, so a user can send it with a bug report ("Show Logs" in the
// Help menu; `npm run serve` prints its path). Never user data: channels, codes, run ids,
// timings, errors.
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import pino, { type Logger } from 'pino';

const FILE_NAME = 'lagrange.log';
/** Past this size at start the file becomes lagrange.log.1 (one generation kept). */
const ROTATE_BYTES = 8 << 20;

let directory: string | undefined;
let root: Logger | undefined;

/**
 * Where the log lives: $LAGRANGE_LOG_DIR, else the folder the desktop shell sets (Electron's
 * logs path), else the platform's usual place for an application's logs.
 */
export function logDirectory(): string {
  if (process.env.LAGRANGE_LOG_DIR) return process.env.LAGRANGE_LOG_DIR;
  if (directory) return directory;
  const home = homedir();
  if (process.platform === 'win32')
    return join(
      process.env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'),
      'Lagrange Studio',
      'logs',
    );
  if (process.platform === 'darwin') return join(home, 'Library', 'Logs', 'Lagrange Studio');
  return join(
    process.env.XDG_STATE_HOME ?? join(home, '.local', 'state'),
    'lagrange-studio',
    'logs',
  );
}

/** The desktop shell's choice; workers inherit it through the environment. */
export function setLogDirectory(dir: string): void {
  directory = dir;
  process.env.LAGRANGE_LOG_DIR ??= dir;
}

export function logFile(): string {
  return join(logDirectory(), FILE_NAME);
}

/** The process's logger (created on first use); a log that cannot be opened logs nowhere. */
export function log(): Logger {
  if (root) return root;
  const level = process.env.LAGRANGE_LOG_LEVEL ?? 'info';
  const base = { pid: process.pid, ...(isMainThread ? {} : { thread: threadId }) };
  try {
    const dir = logDirectory();
    mkdirSync(dir, { recursive: true });
    const file = logFile();
    if (isMainThread) rotate(file);
    // Synchronous appends: few lines, and none lost when a worker is terminated.
    root = pino({ level, base }, pino.destination({ dest: file, sync: true, append: true }));
  } catch {
    root = pino({ level: 'silent' });
  }
  return root;
}

/** A logger whose lines carry the component (api, jobs, study-worker, …). */
export function componentLog(component: string): Logger {
  return log().child({ component });
}

function rotate(file: string): void {
  try {
    if (existsSync(file) && statSync(file).size > ROTATE_BYTES) renameSync(file, `${file}.1`);
  } catch {
    // another process rotated it first, or the folder is read-only: keep appending
  }
}

/** The last `count` lines of the log (at most its last 1 MiB), oldest first. */
export function readLogTail(count = 200): { path: string; lines: string[] } {
  const path = logFile();
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { path, lines: [] };
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 1 << 20);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').filter(Boolean);
    // A partial first line (cut by the 1 MiB window) is dropped.
    if (length < size) lines.shift();
    return { path, lines: lines.slice(-count) };
  } finally {
    closeSync(fd);
  }
}
