// The metrics table holds a run's per-step history (loss, θ and ∂loss/∂θ as float64 BLOBs); the
// checkpoint column holds the training state only, so a checkpoint appends rows instead of
// rewriting the whole history.
import type Database from 'better-sqlite3';
import type { MetricsSeries } from '../../src-shared/dto/runs';
import { blobF64, f64Blob } from './records';

/** A checkpoint as the store takes it: training state plus a history (whole or a delta). */
export interface StoredCheckpoint {
  readonly step: number;
  readonly bestLoss: number;
  readonly history: MetricsSeries & { readonly stride?: number };
}

/** The checkpoint column keeps the state; the history lives in the metrics table. */
export function stripHistory(checkpoint: unknown): unknown {
  const c = checkpoint as { history?: { stride?: number } } | null;
  return c && typeof c === 'object' && c.history
    ? { ...c, history: { stride: c.history.stride ?? 1 } }
    : checkpoint;
}

export function replaceMetrics(db: Database.Database, id: number, history: MetricsSeries): void {
  db.prepare('DELETE FROM metrics WHERE run_id = ?').run(id);
  insertMetrics(db, id, history, 'INSERT');
}

export function insertMetrics(
  db: Database.Database,
  id: number,
  history: MetricsSeries,
  verb: 'INSERT' | 'INSERT OR REPLACE',
): void {
  const insert = db.prepare(
    `${verb} INTO metrics(run_id, step, loss, parameters, gradient, wall_ms) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  history.steps.forEach((step, i) => {
    const t = history.times?.[i];
    insert.run(
      id,
      step,
      history.loss[i]!,
      f64Blob(history.parameters[i]!),
      f64Blob(history.gradients[i]!),
      t !== undefined && Number.isFinite(t) ? t : null,
    );
  });
}

/** Whether the metrics table has its times column (schema 2; a read-only schema-1 file has not). */
function hasWallTimes(db: Database.Database): boolean {
  return !!db.prepare("SELECT 1 FROM pragma_table_info('metrics') WHERE name = 'wall_ms'").get();
}

export function readMetrics(db: Database.Database, id: number): MetricsSeries {
  const time = hasWallTimes(db) ? 'wall_ms' : 'NULL AS wall_ms';
  const rows = db
    .prepare(
      `SELECT step, loss, parameters, gradient, ${time} FROM metrics WHERE run_id = ? ORDER BY step`,
    )
    .all(id) as Array<{
    step: number;
    loss: number;
    parameters: Buffer;
    gradient: Buffer;
    wall_ms: number | null;
  }>;
  const timed = rows.length > 0 && rows.every((r) => r.wall_ms !== null);
  return {
    steps: rows.map((r) => r.step),
    loss: rows.map((r) => r.loss),
    parameters: rows.map((r) => Array.from(blobF64(r.parameters))),
    gradients: rows.map((r) => Array.from(blobF64(r.gradient))),
    ...(timed ? { times: rows.map((r) => r.wall_ms!) } : {}),
  };
}
