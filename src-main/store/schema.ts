/** 'LGST' — marks a SQLite file as a Lagrange Studio project. */
export const APPLICATION_ID = 0x4c475354;

/** The columns of a run, in order (migration 3 rebuilds the table with them). */
const RUN_COLUMNS = `id, name, config, status, message, backend, seed, results, checkpoint, step,
  max_steps, final_loss, best_loss, notes, created_at, started_at, updated_at, finished_at`;

/**
 * Migrations by version: migration i brings user_version from i to i + 1. They run with foreign
 * keys off (a table rebuild must not cascade) and are checked with foreign_key_check after.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE systems (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    recipe TEXT NOT NULL,
    n INTEGER NOT NULL,
    data BLOB,
    created_at TEXT NOT NULL
  );
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    config TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued','running','paused','completed','converged','diverged','cancelled','failed','interrupted')),
    message TEXT NOT NULL DEFAULT '',
    backend TEXT,
    seed INTEGER,
    dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
    results TEXT,
    checkpoint TEXT,
    step INTEGER NOT NULL DEFAULT 0,
    max_steps INTEGER NOT NULL DEFAULT 0,
    final_loss REAL,
    best_loss REAL,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    started_at TEXT,
    updated_at TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE TABLE run_tags (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (run_id, tag)
  ) WITHOUT ROWID;
  CREATE TABLE metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    loss REAL NOT NULL,
    parameters BLOB NOT NULL,
    gradient BLOB NOT NULL,
    PRIMARY KEY (run_id, step)
  ) WITHOUT ROWID;
  CREATE TABLE grids (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    meta TEXT NOT NULL,
    nx INTEGER NOT NULL,
    ny INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX grids_run ON grids(run_id, kind);
  CREATE TABLE fixed_points (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    q TEXT NOT NULL,
    stability TEXT NOT NULL,
    eigenvalues TEXT NOT NULL
  );
  `,
  // 2: the wall-clock time of each metrics row (Compare's wall-time axis); NULL for older rows.
  `ALTER TABLE metrics ADD COLUMN wall_ms REAL;`,
  // 3: three tables of the first version that nothing reads go: systems and datasets (and
  // runs.dataset_id) were never written, fixed_points repeated the results' fixedPoints. SQLite
  // cannot drop a foreign-key column, so runs is rebuilt (sqlite.org/lang_altertable.html §7).
  `
  DROP TABLE IF EXISTS fixed_points;
  CREATE TABLE runs_v3 (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    config TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued','running','paused','completed','converged','diverged','cancelled','failed','interrupted')),
    message TEXT NOT NULL DEFAULT '',
    backend TEXT,
    seed INTEGER,
    results TEXT,
    checkpoint TEXT,
    step INTEGER NOT NULL DEFAULT 0,
    max_steps INTEGER NOT NULL DEFAULT 0,
    final_loss REAL,
    best_loss REAL,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    started_at TEXT,
    updated_at TEXT NOT NULL,
    finished_at TEXT
  );
  INSERT INTO runs_v3 (${RUN_COLUMNS}) SELECT ${RUN_COLUMNS} FROM runs;
  DROP TABLE runs;
  ALTER TABLE runs_v3 RENAME TO runs;
  DROP TABLE IF EXISTS datasets;
  DROP TABLE IF EXISTS systems;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
