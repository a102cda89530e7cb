import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../src-shared/errors';
import { toStoredJson } from '../../src-shared/dto/non-finite';
import {
  ACTIVE_STATUSES,
  ENDED_STATUSES,
  sqlList,
  type RunDetail,
  type MetricsSeries,
  type ProjectSize,
  type RunRow,
  type RunStatus,
} from '../../src-shared/dto/runs';
import type { StudySpec } from '../../src-shared/study/study-schema';
import { importRuns } from './import-runs';
import { projectSize, pruneLandscapes } from './grid-space';
import { acquireLock } from './owner-lock';
import {
  insertMetrics,
  readMetrics,
  replaceMetrics,
  stripHistory,
  type StoredCheckpoint,
} from './metrics-table';
import {
  assertProjectExists,
  openProjectDatabase,
  ProjectOpenError,
  removeLeftovers,
  sidecars,
  snapshotCopy,
  whyNotWritable,
  type ProjectOpenErrorCode,
} from './open-project';
import {
  f64Blob,
  finiteOrNull,
  toGridRecord,
  toRunRecord,
  type GridRecord,
  type GridRowRaw,
  type RunRowRaw,
} from './records';

export { ACTIVE_STATUSES, ProjectOpenError };
export type { GridRecord, MetricsSeries, ProjectOpenErrorCode, RunRow, RunStatus };

const nowIso = () => new Date().toISOString();

/**
 * A project is one SQLite file (WAL, foreign keys on, schema versioned by user_version and
 * marked by application_id). Opening checks the file read-only first, so a text file, a
 * corrupt file or one from a newer version is refused without a byte of it changing.
 */
export class ProjectStore {
  private constructor(
    readonly path: string,
    private readonly db: Database.Database,
    private readonly releaseLock: () => void,
    /** Opened read-only: every change is refused with `read-only`. */
    readonly readOnly: boolean,
    /** Why it is read-only when the user did not ask for it (shown as a notice). */
    readonly readOnlyReason: string | null = null,
  ) {}

  /**
   * Open for writing (taking the project's owner lock: a file another live process writes is
   * refused with `locked`, naming it), or with `readOnly` without a lock and without a change.
   */
  static open(path: string, options: { create?: boolean; readOnly?: boolean } = {}): ProjectStore {
    if (!options.create) assertProjectExists(path);
    const notWritable = whyNotWritable(path);
    if (notWritable && options.create && !existsSync(path))
      throw new AppError('read-only', `Cannot create ${path}: ${notWritable}`);
    if (options.readOnly || notWritable) {
      // SQLite reads a WAL database only beside its shared-memory file, which a read-only folder
      // cannot hold: read a snapshot copy then.
      if (notWritable === 'its folder is read-only' && !existsSync(`${path}-shm`)) {
        const snapshot = snapshotCopy(path);
        const db = openProjectDatabase(snapshot.path, { readOnly: true });
        return new ProjectStore(path, db, snapshot.remove, true, `${notWritable}: a snapshot`);
      }
      const before = sidecars(path);
      const db = openProjectDatabase(path, { readOnly: true });
      const release = () => removeLeftovers(path, before);
      return new ProjectStore(path, db, release, true, notWritable);
    }
    const lock = acquireLock(resolve(path));
    try {
      const store = new ProjectStore(path, openProjectDatabase(path, options), lock.release, false);
      // Only the lock's first taker relabels: runs of a live owner are never touched.
      if (lock.fresh) store.markInterrupted();
      return store;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** Throws `read-only` when this store may not change the file. */
  private assertWritable(): void {
    if (this.readOnly)
      throw new AppError(
        'read-only',
        `${this.path} is open read-only${this.readOnlyReason ? ` (${this.readOnlyReason})` : ''}: nothing in it can change`,
      );
  }

  /** Runs left 'running' or 'queued' by a process that died are 'interrupted' (resumable). */
  private markInterrupted(): void {
    this.db
      .prepare(
        `UPDATE runs SET status = 'interrupted', message = 'interrupted: the process running it stopped; resume continues from the last checkpoint', updated_at = ? WHERE status IN (${sqlList(ACTIVE_STATUSES)})`,
      )
      .run(nowIso());
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.releaseLock();
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
    config: StudySpec,
    options: { seed?: number; maxSteps?: number; status?: RunStatus } = {},
  ): number {
    this.assertWritable();
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
    this.assertWritable();
    const t = nowIso();
    const started = status === 'running' ? t : null;
    const finished = ENDED_STATUSES.includes(status) ? t : null;
    this.db
      .prepare(
        `UPDATE runs SET status = ?, message = ?, updated_at = ?,
      started_at = COALESCE(started_at, ?), finished_at = COALESCE(?, finished_at), backend = COALESCE(?, backend) WHERE id = ?`,
      )
      .run(status, message, t, started, finished, extra.backend ?? null, id);
  }

  /**
   * A whole checkpoint: its state, and the history replacing the stored metrics (pause, quit).
   * The history lives in the metrics table only; the checkpoint column keeps the rest.
   */
  saveCheckpoint(id: number, checkpoint: StoredCheckpoint, finalLoss: number | null): void {
    this.assertWritable();
    this.db.transaction(() => {
      this.writeCheckpointRow(id, checkpoint, finalLoss);
      replaceMetrics(this.db, id, checkpoint.history);
    })();
  }

  /**
   * A periodic checkpoint whose `history` holds only the records since the previous one: they
   * are appended, and rows off the history's new stride dropped (as the trainer thinned them),
   * so a checkpoint costs O(new steps) however long the run.
   */
  appendCheckpoint(id: number, update: StoredCheckpoint, finalLoss: number | null): void {
    this.assertWritable();
    const h = update.history;
    this.db.transaction(() => {
      this.writeCheckpointRow(id, update, finalLoss);
      if ((h.stride ?? 1) > 1)
        this.db.prepare('DELETE FROM metrics WHERE run_id = ? AND step % ? != 0').run(id, h.stride);
      insertMetrics(this.db, id, h, 'INSERT OR REPLACE');
    })();
  }

  private writeCheckpointRow(id: number, c: StoredCheckpoint, finalLoss: number | null): void {
    const stateOnly = { ...c, history: { stride: c.history.stride ?? 1 } };
    this.db
      .prepare(
        'UPDATE runs SET checkpoint = ?, step = ?, best_loss = ?, final_loss = ?, updated_at = ? WHERE id = ?',
      )
      .run(
        JSON.stringify(stateOnly),
        c.step,
        finiteOrNull(c.bestLoss),
        finiteOrNull(finalLoss),
        nowIso(),
        id,
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
    this.assertWritable();
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE runs SET status = ?, message = ?, results = ?, checkpoint = ?, final_loss = ?, best_loss = ?, step = ?,
        updated_at = ?, finished_at = ?, backend = COALESCE(?, backend) WHERE id = ?`,
        )
        .run(
          outcome.status,
          outcome.message,
          toStoredJson(outcome.results),
          JSON.stringify(stripHistory(outcome.checkpoint)),
          finiteOrNull(outcome.finalLoss),
          finiteOrNull(outcome.bestLoss),
          outcome.step,
          nowIso(),
          nowIso(),
          outcome.backend ?? null,
          id,
        );
      replaceMetrics(this.db, id, outcome.history);
    })();
  }

  /** The stored checkpoint with its history read back from the metrics table. */
  getCheckpoint<T extends { history: MetricsSeries & { stride: number } }>(id: number): T | null {
    const row = this.db.prepare('SELECT checkpoint FROM runs WHERE id = ?').get(id) as
      { checkpoint: string | null } | undefined;
    if (!row?.checkpoint) return null;
    const c = JSON.parse(row.checkpoint) as T;
    return { ...c, history: { ...this.metrics(id), stride: c.history?.stride ?? 1 } };
  }

  getRun(id: number): RunRow | null {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRowRaw | undefined;
    return row ? toRunRecord(row, this.tagsOf(id)) : null;
  }

  listRuns(): RunRow[] {
    const tags = new Map<number, string[]>();
    for (const t of this.db
      .prepare('SELECT run_id, tag FROM run_tags ORDER BY tag')
      .all() as Array<{ run_id: number; tag: string }>) {
      (tags.get(t.run_id) ?? tags.set(t.run_id, []).get(t.run_id)!).push(t.tag);
    }
    const rows = this.db.prepare('SELECT * FROM runs ORDER BY id').all() as RunRowRaw[];
    return rows.map((r) => toRunRecord(r, tags.get(r.id) ?? []));
  }

  /** A run with its metrics and grids as the API carries them (plain arrays), or null. */
  detail(id: number): RunDetail | null {
    const run = this.getRun(id);
    if (!run) return null;
    const grids = this.grids(id).map((g) => ({ ...g, data: Array.from(g.data) }));
    return { run, metrics: this.metrics(id), grids };
  }

  private tagsOf(id: number): string[] {
    const rows = this.db
      .prepare('SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag')
      .all(id) as Array<{ tag: string }>;
    return rows.map((t) => t.tag);
  }

  renameRun(id: number, name: string): void {
    this.assertWritable();
    this.db
      .prepare('UPDATE runs SET name = ?, updated_at = ? WHERE id = ?')
      .run(name, nowIso(), id);
  }

  setNotes(id: number, notes: string): void {
    this.assertWritable();
    this.db
      .prepare('UPDATE runs SET notes = ?, updated_at = ? WHERE id = ?')
      .run(notes, nowIso(), id);
  }

  setTags(id: number, tags: readonly string[]): void {
    this.assertWritable();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM run_tags WHERE run_id = ?').run(id);
      const ins = this.db.prepare('INSERT OR IGNORE INTO run_tags(run_id, tag) VALUES (?, ?)');
      for (const t of tags) ins.run(id, t);
    })();
  }

  deleteRun(id: number): boolean {
    this.assertWritable();
    return this.db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
  }

  metrics(id: number): MetricsSeries {
    return readMetrics(this.db, id);
  }

  /** Copy all runs of the project at `path` into this one (new ids); returns how many. */
  importFrom(path: string): number {
    this.assertWritable();
    return importRuns(this.db, path);
  }

  /** The project's size on disk (the file and its write-ahead log) and what landscapes hold. */
  size(): ProjectSize {
    return projectSize(this.db, this.path);
  }

  /** Drops old runs' stored landscapes (grid-space.ts); never active or report runs'. */
  pruneLandscapes(keepNewest: number): ReturnType<typeof pruneLandscapes> {
    this.assertWritable();
    return pruneLandscapes(this.db, keepNewest);
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
    this.assertWritable();
    return Number(
      this.db
        .prepare('INSERT INTO grids(run_id, kind, meta, nx, ny, data) VALUES (?, ?, ?, ?, ?, ?)')
        .run(runId, kind, toStoredJson(meta), nx, ny, f64Blob(data)).lastInsertRowid,
    );
  }

  /** Typed grids of a run; a grid of an unknown kind or with unreadable metadata is skipped. */
  grids(runId: number, kind?: string): GridRecord[] {
    const select = 'SELECT kind, meta, nx, ny, data FROM grids WHERE run_id = ?';
    const rows = (
      kind
        ? this.db.prepare(`${select} AND kind = ? ORDER BY id`).all(runId, kind)
        : this.db.prepare(`${select} ORDER BY id`).all(runId)
    ) as GridRowRaw[];
    return rows.map(toGridRecord).filter((g): g is GridRecord => g !== null);
  }
}
