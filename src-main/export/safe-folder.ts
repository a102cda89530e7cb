import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  realpathSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AppError, messageOf } from '../../src-shared/errors';

/*
 * Every export writes through one SafeFolder: names inside it are single path components (never
 * `..`, a separator or a NUL), folders are created one level at a time and must be real folders
 * (a symlink planted in the export folder is refused, not followed), files are opened with
 * O_NOFOLLOW, and the resolved parent is checked to lie inside the chosen folder. A failed export
 * removes what it wrote and says what happened in words (docs/security.md, docs/reliability.md).
 */

/** MLflow's reader accepts names of letters, digits, `_`, `-`, `.`, space (and `/`, not used). */
const MLFLOW_SAFE = /[^A-Za-z0-9_.\- ]/g;
/** MLflow limits parameter and metric keys to 250 characters. */
const MLFLOW_KEY_MAX = 250;

/**
 * A parameter or metric name as one safe file name. Names that are already safe stay as they are;
 * any other gets its unsafe characters replaced by `_` and a short hash of the original appended,
 * so two different names never share a file (`x/../a` → `x_.._a-1f3a09c2`).
 */
export function safeFileName(name: string): string {
  let safe = name.replace(MLFLOW_SAFE, '_').replace(/^[. ]+/, '_');
  if (safe !== name || safe === '' || safe.length > MLFLOW_KEY_MAX) {
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
    safe = `${(safe || '_').slice(0, MLFLOW_KEY_MAX - 9)}-${hash}`;
  }
  return safe;
}

/** A single path component: not empty, no separator, no NUL, not `.` or `..`. */
function checkComponent(part: string): void {
  if (!part || part === '.' || part === '..' || /[/\\\0]/.test(part))
    throw new AppError(
      'bad-path',
      `Refused to write "${part.slice(0, 80)}": not a plain file name`,
    );
}

/** The user's words for a failed write. */
export function writeFailure(path: string, err: unknown): AppError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const why =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EROFS'
        ? 'the disk is read-only'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EDQUOT'
            ? 'the disk quota is exceeded'
            : code === 'ELOOP'
              ? 'it is a symbolic link (not followed)'
              : code === 'EISDIR'
                ? 'a folder of that name is in the way'
                : code === 'ENOTDIR'
                  ? 'a file is in the way of a folder'
                  : messageOf(err);
  return new AppError('export-failed', `Could not write ${path}: ${why}`);
}

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export class SafeFolder {
  readonly root: string;
  private readonly realRoot: string;
  /** Files and folders this export created, newest last (removed again on failure). */
  private readonly created: Array<{ path: string; folder: boolean }> = [];
  readonly files: string[] = [];

  constructor(dir: string) {
    this.root = resolve(dir);
    try {
      mkdirSync(this.root, { recursive: true });
      this.realRoot = realpathSync(this.root);
    } catch (err) {
      throw writeFailure(this.root, err);
    }
  }

  /** Make `parts` (plain names) as folders below the root, refusing anything not a real folder. */
  folder(...parts: string[]): string {
    let path = this.root;
    for (const part of parts) {
      checkComponent(part);
      path = join(path, part);
      let stat;
      try {
        stat = lstatSync(path);
      } catch {
        stat = null;
      }
      if (stat && !stat.isDirectory())
        throw new AppError(
          'bad-path',
          `Refused to write into ${path}: it is ${stat.isSymbolicLink() ? 'a symbolic link' : 'a file'}, not a folder`,
        );
      if (!stat) {
        try {
          mkdirSync(path);
        } catch (err) {
          throw writeFailure(path, err);
        }
        this.created.push({ path, folder: true });
      }
    }
    this.checkInside(path);
    return path;
  }

  /** Write a file at folders… / name (never following a symlink); returns its path. */
  write(parts: readonly string[], data: string | Uint8Array): string {
    const name = parts[parts.length - 1]!;
    checkComponent(name);
    const path = join(this.folder(...parts.slice(0, -1)), name);
    let existed = true;
    try {
      lstatSync(path);
    } catch {
      existed = false;
    }
    let fd: number | null = null;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | O_NOFOLLOW);
      if (!existed) this.created.push({ path, folder: false });
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (err) {
      throw writeFailure(path, err);
    } finally {
      if (fd !== null) closeSync(fd);
    }
    this.files.push(path);
    return path;
  }

  /** Whether a plain name exists in a folder below the root. */
  exists(parts: readonly string[]): boolean {
    try {
      lstatSync(join(this.root, ...parts));
      return true;
    } catch {
      return false;
    }
  }

  private checkInside(path: string): void {
    const real = realpathSync(path);
    const rel = relative(this.realRoot, real);
    if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..'))
      throw new AppError('bad-path', `Refused to write outside the export folder: ${path}`);
  }

  /** Remove what this export created (after a failure), newest first; best effort. */
  rollback(): void {
    for (const { path, folder } of this.created.reverse()) {
      try {
        if (folder) rmdirSync(path);
        else unlinkSync(path);
      } catch {
        // a folder another export also wrote into stays
      }
    }
    this.created.length = 0;
  }

  /** Run `body`; on failure remove what it wrote and rethrow in words. */
  static run<T>(dir: string, body: (folder: SafeFolder) => T): T {
    const folder = new SafeFolder(dir);
    try {
      return body(folder);
    } catch (err) {
      folder.rollback();
      throw err instanceof AppError ? err : writeFailure(folder.root, err);
    }
  }

  static async runAsync<T>(dir: string, body: (folder: SafeFolder) => Promise<T>): Promise<T> {
    const folder = new SafeFolder(dir);
    try {
      return await body(folder);
    } catch (err) {
      folder.rollback();
      throw err instanceof AppError ? err : writeFailure(folder.root, err);
    }
  }
}
