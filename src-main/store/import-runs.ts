import type Database from 'better-sqlite3';

/** The tables that belong to a run, copied with it (run_id → the new id). */
const RUN_TABLES = ['metrics', 'grids', 'run_tags'] as const;

const columnNames = (db: Database.Database, schema: 'main' | 'src', table: string) =>
  (db.prepare(`PRAGMA ${schema}.table_info(${table})`).all() as Array<{ name: string }>).map(
    (c) => c.name,
  );

/**
 * The columns a table's rows carry across: those of both schemas, the row id and run_id aside
 * (older sources have fewer — a schema-1 project's metrics have no wall_ms, its runs a
 * dataset_id no longer kept).
 */
function sharedColumns(db: Database.Database, table: string): string[] {
  const here = new Set(columnNames(db, 'main', table));
  return columnNames(db, 'src', table).filter((c) => here.has(c) && c !== 'id' && c !== 'run_id');
}

/** Copy every run of the project at `path` into `db` under new ids; returns how many. */
export function importRuns(db: Database.Database, path: string): number {
  db.prepare('ATTACH DATABASE ? AS src').run(path);
  try {
    return db.transaction(() => {
      const runs = db.prepare('SELECT * FROM src.runs ORDER BY id').all() as Array<
        Record<string, unknown>
      >;
      const columns = sharedColumns(db, 'runs');
      const insertRun = db.prepare(
        `INSERT INTO runs(${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      const copies = RUN_TABLES.map((table) => {
        const cols = sharedColumns(db, table).join(', ');
        return db.prepare(
          `INSERT INTO ${table}(run_id, ${cols}) SELECT ?, ${cols} FROM src.${table} WHERE run_id = ?`,
        );
      });
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
