import type Database from 'better-sqlite3';

/** The tables that belong to a run, copied with it (run_id → the new id). */
const RUN_TABLES = [
  ['metrics', 'step, loss, parameters, gradient'],
  ['grids', 'kind, meta, nx, ny, data'],
  ['run_tags', 'tag'],
] as const;

/** Copy every run of the project at `path` into `db` under new ids; returns how many. */
export function importRuns(db: Database.Database, path: string): number {
  db.prepare('ATTACH DATABASE ? AS src').run(path);
  try {
    return db.transaction(() => {
      const runs = db.prepare('SELECT * FROM src.runs ORDER BY id').all() as Array<
        Record<string, unknown>
      >;
      const columns = Object.keys(runs[0] ?? {}).filter((c) => c !== 'id' && c !== 'dataset_id');
      const insertRun = db.prepare(
        `INSERT INTO runs(${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      const copies = RUN_TABLES.map(([table, cols]) =>
        db.prepare(
          `INSERT INTO ${table}(run_id, ${cols}) SELECT ?, ${cols} FROM src.${table} WHERE run_id = ?`,
        ),
      );
      for (const r of runs) {
        const id = Number(insertRun.run(...columns.map((c) => r[c] as never)).lastInsertRowid);
        for (const copy of copies) copy.run(id, r.id);
      }
      return runs.length;
    })();
  } finally {
    db.prepare('DETACH DATABASE src').run();
  }
}
