import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema';

export type RunStatus =
  | 'queued'
  | 'running'
  | 'paused'
  | 'completed'
  | 'converged'
  | 'diverged'
  | 'cancelled'
  | 'failed'
  | 'interrupted';
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running'];

export type ProjectOpenErrorCode =
  'not-a-database' | 'not-a-project' | 'newer-schema' | 'corrupt' | 'missing';

/** Why a file cannot be opened as a project. The file is left exactly as it was. */
export class ProjectOpenError extends Error {
  constructor(
    readonly code: ProjectOpenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProjectOpenError';
  }
}

export interface RunRow {
  readonly id: number;
  readonly name: string;
  readonly status: RunStatus;
  readonly message: string;
  readonly backend: string | null;
  readonly seed: number | null;
  readonly step: number;
  readonly maxSteps: number;
  readonly finalLoss: number | null;
  readonly bestLoss: number | null;
  readonly notes: string;
  readonly tags: string[];
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
  readonly config: unknown;
  readonly results: unknown;
}

export interface MetricsSeries {
  readonly steps: number[];
  readonly loss: number[];
  readonly parameters: number[][];
  readonly gradients: number[][];
}

export interface GridRecord {
  readonly kind: string;
  readonly meta: unknown;
  readonly nx: number;
  readonly ny: number;
  readonly data: Float64Array;
}

const SQLITE_HEADER = 'SQLite format 3\0';
const nowIso = () => new Date().toISOString();

function f64Blob(values: ArrayLike<number>): Buffer {
  const a = Float64Array.from(values as ArrayLike<number>);
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}
function blobF64(b: Buffer): Float64Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float64Array(copy.buffer);
}

/**
 * A project is one SQLite file (WAL, foreign keys on, schema versioned by user_version and
 * marked by application_id). Opening checks the file read-only first, so a text file, a
 * corrupt file or one from a newer version is refused without a byte of it changing.
 */
export class ProjectStore {
  private constructor(
    readonly path: string,
    private readonly db: Database.Database,
  ) {}

  static open(path: string, options: { create?: boolean } = {}): ProjectStore {
    const exists = existsSync(path) && statSync(path).size > 0;
    if (!exists) {
      if (!options.create) throw new ProjectOpenError('missing', `No project at ${path}`);
      const db = new Database(path);
      ProjectStore.configure(db);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      ProjectStore.migrate(db, 0);
      db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)').run('created_at', nowIso());
      return new ProjectStore(path, db);
    }
    ProjectStore.inspect(path);
    const db = new Database(path, { fileMustExist: true });
    try {
      ProjectStore.configure(db);
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version < SCHEMA_VERSION) ProjectStore.migrate(db, version);
    } catch (err) {
      db.close();
      throw err;
    }
    const store = new ProjectStore(path, db);
    store.markInterrupted();
    return store;
  }

  /** Read-only checks: SQLite header, application id, schema version, integrity. */
  private static inspect(path: string): void {
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
      ro = new Database(path, { readonly: true, fileMustExist: true });
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
    }
  }

  private static configure(db: Database.Database): void {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
  }

  private static migrate(db: Database.Database, from: number): void {
    db.transaction(() => {
      for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  }

  /** Runs left 'running' or 'queued' by a process that died are 'interrupted' (resumable). */
  private markInterrupted(): void {
    this.db
      .prepare(
        `UPDATE runs SET status = 'interrupted', message = 'interrupted: the process running it stopped; resume continues from the last checkpoint', updated_at = ? WHERE status IN ('running', 'queued')`,
      )
      .run(nowIso());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** A consistent copy of the whole project (SQLite online backup, safe while jobs write). */
  async backupTo(path: string): Promise<void> {
    if (existsSync(path))
      throw new ProjectOpenError('missing', `${path} exists already: choose a new file name`);
    await this.db.backup(path);
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  // ---- runs ----
  createRun(
    name: string,
    config: unknown,
    options: { seed?: number; maxSteps?: number; status?: RunStatus } = {},
  ): number {
    const t = nowIso();
    return Number(
      this.db
        .prepare(
          'INSERT INTO runs(name, config, status, seed, max_steps, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          name,
          JSON.stringify(config),
          options.status ?? 'queued',
          options.seed ?? null,
          options.maxSteps ?? 0,
          t,
          t,
        ).lastInsertRowid,
    );
  }

  setRunStatus(
    id: number,
    status: RunStatus,
    message = '',
    extra: { backend?: string } = {},
  ): void {
    const t = nowIso();
    const started = status === 'running' ? t : null;
    const finished = ['completed', 'converged', 'diverged', 'cancelled', 'failed'].includes(status)
      ? t
      : null;
    this.db
      .prepare(
        `UPDATE runs SET status = ?, message = ?, updated_at = ?,
      started_at = COALESCE(started_at, ?), finished_at = COALESCE(?, finished_at), backend = COALESCE(?, backend) WHERE id = ?`,
      )
      .run(status, message, t, started, finished, extra.backend ?? null, id);
  }

  /** Progress, metrics and the resume point in one transaction: a crash keeps either the old or the new state. */
  saveCheckpoint(
    id: number,
    checkpoint: { step: number; bestLoss: number; history: MetricsSeries },
    finalLoss: number | null,
  ): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          'UPDATE runs SET checkpoint = ?, step = ?, best_loss = ?, final_loss = ?, updated_at = ? WHERE id = ?',
        )
        .run(
          JSON.stringify(checkpoint),
          checkpoint.step,
          finite(checkpoint.bestLoss),
          finite(finalLoss),
          nowIso(),
          id,
        );
      this.replaceMetrics(id, checkpoint.history);
    })();
  }

  private replaceMetrics(id: number, history: MetricsSeries): void {
    this.db.prepare('DELETE FROM metrics WHERE run_id = ?').run(id);
    const insert = this.db.prepare(
      'INSERT INTO metrics(run_id, step, loss, parameters, gradient) VALUES (?, ?, ?, ?, ?)',
    );
    history.steps.forEach((step, i) =>
      insert.run(
        id,
        step,
        history.loss[i]!,
        f64Blob(history.parameters[i]!),
        f64Blob(history.gradients[i]!),
      ),
    );
  }

  finishRun(
    id: number,
    outcome: {
      status: RunStatus;
      message: string;
      results: unknown;
      history: MetricsSeries;
      checkpoint: unknown;
      finalLoss: number;
      bestLoss: number;
      step: number;
      backend?: string;
    },
  ): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE runs SET status = ?, message = ?, results = ?, checkpoint = ?, final_loss = ?, best_loss = ?, step = ?,
        updated_at = ?, finished_at = ?, backend = COALESCE(?, backend) WHERE id = ?`,
        )
        .run(
          outcome.status,
          outcome.message,
          JSON.stringify(outcome.results),
          JSON.stringify(outcome.checkpoint),
          finite(outcome.finalLoss),
          finite(outcome.bestLoss),
          outcome.step,
          nowIso(),
          nowIso(),
          outcome.backend ?? null,
          id,
        );
      this.replaceMetrics(id, outcome.history);
    })();
  }

  getCheckpoint<T>(id: number): T | null {
    const row = this.db.prepare('SELECT checkpoint FROM runs WHERE id = ?').get(id) as
      { checkpoint: string | null } | undefined;
    return row?.checkpoint ? (JSON.parse(row.checkpoint) as T) : null;
  }

  getRun(id: number): RunRow | null {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as
      Record<string, unknown> | undefined;
    return row ? this.toRun(row, this.tagsOf(id)) : null;
  }

  listRuns(): RunRow[] {
    const tags = new Map<number, string[]>();
    for (const t of this.db
      .prepare('SELECT run_id, tag FROM run_tags ORDER BY tag')
      .all() as Array<{ run_id: number; tag: string }>) {
      (tags.get(t.run_id) ?? tags.set(t.run_id, []).get(t.run_id)!).push(t.tag);
    }
    return (
      this.db.prepare('SELECT * FROM runs ORDER BY id').all() as Record<string, unknown>[]
    ).map((r) => this.toRun(r, tags.get(r.id as number) ?? []));
  }

  private tagsOf(id: number): string[] {
    return (
      this.db.prepare('SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag').all(id) as Array<{
        tag: string;
      }>
    ).map((t) => t.tag);
  }

  private toRun(r: Record<string, unknown>, tags: string[]): RunRow {
    return {
      id: r.id as number,
      name: r.name as string,
      status: r.status as RunStatus,
      message: r.message as string,
      backend: (r.backend as string | null) ?? null,
      seed: (r.seed as number | null) ?? null,
      step: r.step as number,
      maxSteps: r.max_steps as number,
      finalLoss: (r.final_loss as number | null) ?? null,
      bestLoss: (r.best_loss as number | null) ?? null,
      notes: r.notes as string,
      tags,
      createdAt: r.created_at as string,
      startedAt: (r.started_at as string | null) ?? null,
      updatedAt: r.updated_at as string,
      finishedAt: (r.finished_at as string | null) ?? null,
      config: JSON.parse(r.config as string),
      results: r.results ? JSON.parse(r.results as string) : null,
    };
  }

  renameRun(id: number, name: string): void {
    this.db
      .prepare('UPDATE runs SET name = ?, updated_at = ? WHERE id = ?')
      .run(name, nowIso(), id);
  }

  setNotes(id: number, notes: string): void {
    this.db
      .prepare('UPDATE runs SET notes = ?, updated_at = ? WHERE id = ?')
      .run(notes, nowIso(), id);
  }

  setTags(id: number, tags: readonly string[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM run_tags WHERE run_id = ?').run(id);
      const ins = this.db.prepare('INSERT OR IGNORE INTO run_tags(run_id, tag) VALUES (?, ?)');
      for (const t of tags) ins.run(id, t);
    })();
  }

  deleteRun(id: number): boolean {
    return this.db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
  }

  metrics(id: number): MetricsSeries {
    const rows = this.db
      .prepare(
        'SELECT step, loss, parameters, gradient FROM metrics WHERE run_id = ? ORDER BY step',
      )
      .all(id) as Array<{ step: number; loss: number; parameters: Buffer; gradient: Buffer }>;
    return {
      steps: rows.map((r) => r.step),
      loss: rows.map((r) => r.loss),
      parameters: rows.map((r) => Array.from(blobF64(r.parameters))),
      gradients: rows.map((r) => Array.from(blobF64(r.gradient))),
    };
  }

  /** Copy all runs of the project at `path` into this one (new ids); returns how many. */
  importFrom(path: string): number {
    this.db.prepare('ATTACH DATABASE ? AS src').run(path);
    try {
      return this.db.transaction(() => {
        const runs = this.db.prepare('SELECT * FROM src.runs ORDER BY id').all() as Array<
          Record<string, unknown>
        >;
        const columns = Object.keys(runs[0] ?? {}).filter((c) => c !== 'id' && c !== 'dataset_id');
        const insertRun = this.db.prepare(
          `INSERT INTO runs(${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        for (const r of runs) {
          const id = Number(insertRun.run(...columns.map((c) => r[c] as never)).lastInsertRowid);
          this.db
            .prepare(
              'INSERT INTO metrics(run_id, step, loss, parameters, gradient) SELECT ?, step, loss, parameters, gradient FROM src.metrics WHERE run_id = ?',
            )
            .run(id, r.id);
          this.db
            .prepare(
              'INSERT INTO grids(run_id, kind, meta, nx, ny, data) SELECT ?, kind, meta, nx, ny, data FROM src.grids WHERE run_id = ?',
            )
            .run(id, r.id);
          this.db
            .prepare(
              'INSERT INTO run_tags(run_id, tag) SELECT ?, tag FROM src.run_tags WHERE run_id = ?',
            )
            .run(id, r.id);
          this.db
            .prepare(
              'INSERT INTO fixed_points(run_id, q, stability, eigenvalues) SELECT ?, q, stability, eigenvalues FROM src.fixed_points WHERE run_id = ?',
            )
            .run(id, r.id);
        }
        return runs.length;
      })();
    } finally {
      this.db.prepare('DETACH DATABASE src').run();
    }
  }

  // ---- grids (landscapes, error maps) and fixed points ----
  saveGrid(
    runId: number,
    kind: string,
    meta: unknown,
    nx: number,
    ny: number,
    data: ArrayLike<number>,
  ): number {
    return Number(
      this.db
        .prepare('INSERT INTO grids(run_id, kind, meta, nx, ny, data) VALUES (?, ?, ?, ?, ?, ?)')
        .run(runId, kind, JSON.stringify(meta), nx, ny, f64Blob(data)).lastInsertRowid,
    );
  }

  grids(runId: number, kind?: string): GridRecord[] {
    const rows = (
      kind
        ? this.db
            .prepare(
              'SELECT kind, meta, nx, ny, data FROM grids WHERE run_id = ? AND kind = ? ORDER BY id',
            )
            .all(runId, kind)
        : this.db
            .prepare('SELECT kind, meta, nx, ny, data FROM grids WHERE run_id = ? ORDER BY id')
            .all(runId)
    ) as Array<{ kind: string; meta: string; nx: number; ny: number; data: Buffer }>;
    return rows.map((r) => ({
      kind: r.kind,
      meta: JSON.parse(r.meta),
      nx: r.nx,
      ny: r.ny,
      data: blobF64(r.data),
    }));
  }

  saveFixedPoints(
    runId: number,
    points: ReadonlyArray<{ q: readonly number[]; stability: string; eigenvalues: unknown }>,
  ): void {
    const ins = this.db.prepare(
      'INSERT INTO fixed_points(run_id, q, stability, eigenvalues) VALUES (?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const p of points)
        ins.run(runId, JSON.stringify(p.q), p.stability, JSON.stringify(p.eigenvalues));
    })();
  }

  fixedPoints(runId: number): Array<{ q: number[]; stability: string; eigenvalues: unknown }> {
    return (
      this.db
        .prepare('SELECT q, stability, eigenvalues FROM fixed_points WHERE run_id = ? ORDER BY id')
        .all(runId) as Array<{ q: string; stability: string; eigenvalues: string }>
    ).map((r) => ({
      q: JSON.parse(r.q),
      stability: r.stability,
      eigenvalues: JSON.parse(r.eigenvalues),
    }));
  }
}

/**
 * Copy every run of another project (with metrics, grids, tags and fixed points) into this one,
 * under new ids: how the shards of a sweep run on a cluster come together.
 */
export function mergeProjects(
  targetPath: string,
  sourcePaths: readonly string[],
): { imported: number } {
  const target = ProjectStore.open(targetPath, { create: true });
  let imported = 0;
  try {
    for (const source of sourcePaths) {
      ProjectStore.open(source).close(); // validates the file (refuses non-projects, newer schemas, damage)
      imported += target.importFrom(source);
    }
  } finally {
    target.close();
  }
  return { imported };
}

function finite(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}
