import Database from 'better-sqlite3';
import {
  accessSync,
  closeSync,
  copyFileSync,
  mkdtempSync,
  constants,
  existsSync,
  openSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../../src-shared/errors';
import { sqliteOptions } from './native-binding';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema';

export type ProjectOpenErrorCode =
  'not-a-database' | 'not-a-project' | 'newer-schema' | 'corrupt' | 'missing';

/** Why a file cannot be opened as a project. The file is left exactly as it was. */
export class ProjectOpenError extends AppError {
  declare readonly code: ProjectOpenErrorCode;
  constructor(code: ProjectOpenErrorCode, message: string) {
    super(code, message);
    this.name = 'ProjectOpenError';
  }
}

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * The oldest schema this code reads without upgrading it: later migrations only add columns that
 * reads do without (a read-only project of schema 1 shows its runs, just no metrics times) or drop
 * tables nothing reads.
 */
const READABLE_SCHEMA_VERSION = 1;

/**
 * Open (or create) a project database. An existing file is checked read-only first, so a text
 * file, a corrupt file or one from a newer version is refused without a byte of it changing.
 */
export function openProjectDatabase(
  path: string,
  options: { create?: boolean; readOnly?: boolean } = {},
): Database.Database {
  const exists = existsSync(path) && statSync(path).size > 0;
  if (options.readOnly) {
    if (!exists) throw new ProjectOpenError('missing', `No project at ${path}`);
    if (statSync(path).isDirectory())
      throw new ProjectOpenError('not-a-database', `${path} is a folder, not a project file`);
    inspect(path);
    const db = new Database(path, { readonly: true, fileMustExist: true, ...sqliteOptions() });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < READABLE_SCHEMA_VERSION) {
      db.close();
      throw new AppError(
        'read-only',
        `${path} uses an older project schema (${version}) that must be upgraded, which read-only cannot do: open it for writing once`,
      );
    }
    return db;
  }
  if (!exists) {
    if (!options.create) throw new ProjectOpenError('missing', `No project at ${path}`);
    const db = new Database(path, sqliteOptions());
    configure(db);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    migrate(db, 0);
    db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)').run(
      'created_at',
      new Date().toISOString(),
    );
    return db;
  }
  if (statSync(path).isDirectory())
    throw new ProjectOpenError('not-a-database', `${path} is a folder, not a project file`);
  inspect(path);
  const db = new Database(path, { fileMustExist: true, ...sqliteOptions() });
  try {
    configure(db);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < SCHEMA_VERSION) migrate(db, version);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Read-only checks: SQLite header, application id, schema version, integrity. */
function inspect(path: string): void {
  const before = sidecars(path);
  const fd = openSync(path, 'r');
  const header = Buffer.alloc(16);
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_HEADER) {
    throw new ProjectOpenError(
      'not-a-database',
      `${path} is not a Lagrange Studio project: it is not an SQLite database (no SQLite header)`,
    );
  }
  let ro: Database.Database | undefined;
  try {
    ro = new Database(path, { readonly: true, fileMustExist: true, ...sqliteOptions() });
    const appId = ro.pragma('application_id', { simple: true }) as number;
    if (appId !== APPLICATION_ID) {
      throw new ProjectOpenError(
        'not-a-project',
        `${path} is an SQLite database but not a Lagrange Studio project (application id ${appId})`,
      );
    }
    const version = ro.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new ProjectOpenError(
        'newer-schema',
        `${path} was saved by a newer Lagrange Studio (project schema ${version}; this version reads up to ${SCHEMA_VERSION}). Update the application to open it.`,
      );
    }
    // The project mark without the project's tables: not ours (or truncated). Refused, so it is
    // never migrated in place.
    const tables = new Set(
      (
        ro.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
          name: string;
        }>
      ).map((t) => t.name),
    );
    const missing = ['meta', 'runs', 'metrics'].filter((t) => !tables.has(t));
    if (missing.length > 0)
      throw new ProjectOpenError(
        version === 0 ? 'not-a-project' : 'corrupt',
        version === 0
          ? `${path} carries the Lagrange Studio mark but has no project tables: it was not made by Lagrange Studio; it was not changed`
          : `${path} is damaged: its ${missing.join(', ')} table${missing.length > 1 ? 's are' : ' is'} missing; it was not changed`,
      );
    const check = ro.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok')
      throw new ProjectOpenError(
        'corrupt',
        `${path} is damaged (integrity check: ${check}); it was not changed`,
      );
  } catch (err) {
    if (err instanceof ProjectOpenError) throw err;
    throw new ProjectOpenError(
      'corrupt',
      `${path} is damaged or truncated (${(err as Error).message}); it was not changed`,
    );
  } finally {
    ro?.close();
    removeLeftovers(path, before);
  }
}

/** The -wal and -shm files that exist beside a database now. */
export function sidecars(path: string): Set<string> {
  return new Set([`${path}-wal`, `${path}-shm`].filter((f) => existsSync(f)));
}

/**
 * A read-only connection cannot checkpoint, so SQLite leaves the -wal/-shm files it created:
 * remove those (an empty WAL and its index), so a refused or read-only open leaves no trace.
 */
export function removeLeftovers(path: string, before: ReadonlySet<string>): void {
  for (const f of sidecars(path)) {
    if (before.has(f)) continue;
    try {
      if (f.endsWith('-shm') || statSync(f).size === 0) rmSync(f);
    } catch {
      // not ours to remove (another process, or a read-only folder)
    }
  }
}

function configure(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
}

/**
 * Upgrade in one transaction, foreign keys off meanwhile (the pragma is a no-op inside a
 * transaction; a rebuilt table's DROP must not cascade to its rows' metrics) and checked before
 * the commit: a broken reference rolls the whole upgrade back.
 */
function migrate(db: Database.Database, from: number): void {
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length)
        throw new ProjectOpenError(
          'corrupt',
          `Upgrading the project found ${broken.length} rows that refer to missing rows; it was left as it was`,
        );
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

/**
 * A missing project said in words, before a read-only folder's snapshot tries to copy it (issue
 * 30.4: "ENOENT … copyfile … lagrange-snapshot-…").
 */
export function assertProjectExists(path: string): void {
  if (existsSync(path)) return;
  const folder = dirname(resolve(path));
  throw new ProjectOpenError(
    'missing',
    existsSync(folder)
      ? `No project at ${path}: there is no such file`
      : `No project at ${path}: its folder ${folder} does not exist`,
  );
}

/**
 * Why this process cannot write the project (or create it), or null: a read-only file, or a
 * read-only folder (SQLite's WAL needs to create files beside the project).
 */
export function whyNotWritable(path: string): string | null {
  const can = (p: string) => {
    try {
      accessSync(p, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  // the folder's case first: a read-only file in a read-only folder (a mounted archive) must be
  // read from a snapshot, since SQLite cannot create its WAL files beside it (issue 32.12)
  if (!can(dirname(resolve(path)))) return 'its folder is read-only';
  if (existsSync(path) && !can(path)) return 'the file is read-only';
  return null;
}

/** A private copy of a project (and its WAL) to read when its own folder is read-only. */
export function snapshotCopy(path: string): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lagrange-snapshot-'));
  const copy = join(dir, basename(path));
  copyFileSync(path, copy);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  return { path: copy, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
