// A run's fixed points (q, stability, eigenvalues) in the fixed_points table.
import type Database from 'better-sqlite3';

export interface StoredFixedPoint {
  readonly q: number[];
  readonly stability: string;
  readonly eigenvalues: unknown;
}

export function insertFixedPoints(
  db: Database.Database,
  runId: number,
  points: ReadonlyArray<{ q: readonly number[]; stability: string; eigenvalues: unknown }>,
): void {
  const ins = db.prepare(
    'INSERT INTO fixed_points(run_id, q, stability, eigenvalues) VALUES (?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const p of points)
      ins.run(runId, JSON.stringify(p.q), p.stability, JSON.stringify(p.eigenvalues));
  })();
}

export function readFixedPoints(db: Database.Database, runId: number): StoredFixedPoint[] {
  return (
    db
      .prepare('SELECT q, stability, eigenvalues FROM fixed_points WHERE run_id = ? ORDER BY id')
      .all(runId) as Array<{ q: string; stability: string; eigenvalues: string }>
  ).map((r) => ({
    q: JSON.parse(r.q) as number[],
    stability: r.stability,
    eigenvalues: JSON.parse(r.eigenvalues) as unknown,
  }));
}
