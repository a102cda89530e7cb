// What stored grids cost a project, and pruning the largest of them — loss landscapes — from
// old runs (issue 30.14: a project grows by megabytes a run and said nothing).
import type Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { ACTIVE_STATUSES, sqlList, type ProjectSize } from '../../src-shared/dto/runs';

const LANDSCAPES = `kind LIKE 'landscape%'`;

/** The project file and its write-ahead log on disk, and its landscapes' share. */
export function projectSize(db: Database.Database, path: string): ProjectSize {
  const onDisk = (f: string) => (existsSync(f) ? statSync(f).size : 0);
  const row = db
    .prepare(
      `SELECT COUNT(DISTINCT run_id) AS runs, COALESCE(SUM(length(data)), 0) AS bytes
       FROM grids WHERE ${LANDSCAPES}`,
    )
    .get() as { runs: number; bytes: number };
  return {
    bytes: onDisk(path) + onDisk(`${path}-wal`),
    landscapeBytes: row.bytes,
    landscapeRuns: row.runs,
  };
}

/**
 * Drops the stored loss landscapes of all but the newest `keepNewest` runs that have one. Kept
 * whatever their age: active runs and the report's (its gallery draws them). Their other data
 * stays; running a study again recomputes its landscape. The file shrinks when no job holds it
 * (VACUUM); otherwise the freed pages are reused by later runs.
 */
export function pruneLandscapes(
  db: Database.Database,
  keepNewest: number,
): { runs: number; freedBytes: number; compacted: boolean } {
  const candidates = db
    .prepare(
      `SELECT g.run_id AS id, SUM(length(g.data)) AS bytes FROM grids g JOIN runs r ON r.id = g.run_id
       WHERE g.${LANDSCAPES} AND r.status NOT IN (${sqlList(ACTIVE_STATUSES)})
         AND NOT EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.tag = 'report')
       GROUP BY g.run_id ORDER BY g.run_id DESC`,
    )
    .all() as Array<{ id: number; bytes: number }>;
  const dropped = candidates.slice(Math.max(0, keepNewest));
  const remove = db.prepare(`DELETE FROM grids WHERE run_id = ? AND ${LANDSCAPES}`);
  db.transaction(() => {
    for (const r of dropped) remove.run(r.id);
  })();
  let compacted = false;
  if (dropped.length)
    try {
      db.exec('VACUUM');
      db.pragma('wal_checkpoint(TRUNCATE)');
      compacted = true;
    } catch {
      // a job writes now: the freed pages are reused by later runs instead
    }
  return { runs: dropped.length, freedBytes: dropped.reduce((n, r) => n + r.bytes, 0), compacted };
}
