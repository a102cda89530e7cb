import { afterEach, describe, expect, it } from 'vitest';
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { type ProjectOpenError, ProjectStore } from '../../src-main/store/project-store';
import { SCHEMA_VERSION } from '../../src-main/store/schema';
import { parseStudy } from '../../src-shared/study/study-schema';

/** A real study: the store validates what it reads back. */
const STUDY = parseStudy(
  JSON.parse(readFileSync('resources/studies/1.1-origin-exact-fit.json', 'utf8')),
);
const AXES = { x: 'k', y: 'alpha', xValues: [0, 1, 2], yValues: [0, 1] };

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'lagrange-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

function openError(path: string): ProjectOpenError {
  try {
    ProjectStore.open(path).close();
  } catch (e) {
    return e as ProjectOpenError;
  }
  throw new Error('expected the open to fail');
}

describe('project store', () => {
  it('creates a project, stores runs, metrics, grids and fixed points, and reads them back', () => {
    const path = join(tmp(), 'p.lsproj');
    const store = ProjectStore.open(path, { create: true });
    const id = store.createRun('origin', STUDY, { seed: 3, maxSteps: 10 });
    store.setTags(id, ['report', 'origin']);
    store.setNotes(id, 'first try');
    store.saveCheckpoint(
      id,
      {
        step: 2,
        bestLoss: 0.5,
        history: {
          steps: [0, 1],
          loss: [1, 0.5],
          parameters: [
            [1, 2],
            [1.5, 2.5],
          ],
          gradients: [
            [0.1, 0.2],
            [0.3, 0.4],
          ],
        },
      },
      0.5,
    );
    store.saveGrid(id, 'landscape', AXES, 3, 2, [1, 2, 3, 4, 5, 6]);
    store.close();
    const again = ProjectStore.open(path);
    const run = again.getRun(id)!;
    expect(run.name).toBe('origin');
    expect(run.tags).toEqual(['origin', 'report']);
    expect(run.notes).toBe('first try');
    expect(run.config).toEqual(STUDY);
    expect(again.metrics(id)).toEqual({
      steps: [0, 1],
      loss: [1, 0.5],
      parameters: [
        [1, 2],
        [1.5, 2.5],
      ],
      gradients: [
        [0.1, 0.2],
        [0.3, 0.4],
      ],
    });
    expect(Array.from(again.grids(id, 'landscape')[0]!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(again.integrityCheck()).toBe('ok');
    again.close();
  });

  it('a schema-1 project (no metrics times) reads read-only, and upgrades when opened for writing', () => {
    const path = join(tmp(), 'old.lsproj');
    const store = ProjectStore.open(path, { create: true });
    const id = store.createRun('old', STUDY, { maxSteps: 1 });
    const history = { steps: [0, 1], loss: [2, 1], parameters: [[1], [2]], gradients: [[0], [0]] };
    store.saveCheckpoint(id, { step: 1, bestLoss: 1, history: { ...history, times: [5, 6] } }, 1);
    expect(store.metrics(id).times).toEqual([5, 6]);
    store.close();
    // What a project written before times were stored looks like.
    const db = new Database(path);
    db.exec('ALTER TABLE metrics DROP COLUMN wall_ms');
    db.pragma('user_version = 1');
    db.close();
    const readOnly = ProjectStore.open(path, { readOnly: true });
    expect(readOnly.metrics(id)).toEqual(history);
    readOnly.close();
    const upgraded = ProjectStore.open(path);
    expect(upgraded.metrics(id)).toEqual(history);
    upgraded.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check.close();
  });

  it('a schema-2 project loses its three unused tables and runs.dataset_id, every row kept (31.6)', () => {
    const dir = tmp();
    const path = join(dir, 'v2.lsproj');
    const store = ProjectStore.open(path, { create: true });
    const id = store.createRun('old', STUDY, { maxSteps: 1 });
    const history = { steps: [0, 1], loss: [2, 1], parameters: [[1], [2]], gradients: [[0], [0]] };
    store.saveCheckpoint(id, { step: 1, bestLoss: 1, history: { ...history, times: [5, 6] } }, 1);
    store.setTags(id, ['kept']);
    store.saveGrid(id, 'landscape', AXES, 3, 2, [1, 2, 3, 4, 5, 6]);
    const other = store.createRun('other', STUDY, { maxSteps: 1 });
    store.close();
    // What schema 2 wrote: the first version's systems, datasets and fixed_points tables and a
    // dataset_id column on runs (rows in them as an old project could hold).
    const db = new Database(path);
    db.exec(`
      CREATE TABLE systems (id INTEGER PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE datasets (id INTEGER PRIMARY KEY, recipe TEXT NOT NULL, n INTEGER NOT NULL, data BLOB, created_at TEXT NOT NULL);
      CREATE TABLE fixed_points (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, q TEXT NOT NULL, stability TEXT NOT NULL, eigenvalues TEXT NOT NULL);
      ALTER TABLE runs ADD COLUMN dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL;
      INSERT INTO datasets VALUES (1, '{}', 3, NULL, 'then');
      UPDATE runs SET dataset_id = 1;
      INSERT INTO fixed_points(run_id, q, stability, eigenvalues) VALUES (${id}, '[0]', 'centre', '[]');
    `);
    db.pragma('user_version = 2');
    db.close();
    const upgraded = ProjectStore.open(path);
    expect(upgraded.listRuns().map((r) => r.name)).toEqual(['old', 'other']);
    expect(upgraded.metrics(id)).toEqual({ ...history, times: [5, 6] });
    expect(upgraded.getRun(id)!.tags).toEqual(['kept']);
    expect(Array.from(upgraded.grids(id, 'landscape')[0]!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(upgraded.integrityCheck()).toBe('ok');
    // the rebuilt runs table is still what metrics, grids and tags cascade from
    expect(upgraded.deleteRun(id)).toBe(true);
    upgraded.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = (
      check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
        name: string;
      }>
    ).map((t) => t.name);
    expect(tables.sort()).toEqual(['grids', 'meta', 'metrics', 'run_tags', 'runs']);
    const runColumns = (
      check.prepare('PRAGMA table_info(runs)').all() as Array<{ name: string }>
    ).map((c) => c.name);
    expect(runColumns).not.toContain('dataset_id');
    for (const t of ['metrics', 'grids', 'run_tags'])
      expect(check.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get()).toEqual({ n: 0 });
    expect(check.prepare('SELECT id FROM runs').all()).toEqual([{ id: other }]);
    check.close();
  });

  it('merges an older project (schema 1: no times, a dataset_id) into a current one (31.6)', () => {
    const dir = tmp();
    const source = join(dir, 'old.lsproj');
    const store = ProjectStore.open(source, { create: true });
    const id = store.createRun('old', STUDY, { maxSteps: 1 });
    const history = { steps: [0, 1], loss: [2, 1], parameters: [[1], [2]], gradients: [[0], [0]] };
    store.saveCheckpoint(id, { step: 1, bestLoss: 1, history: { ...history, times: [5, 6] } }, 1);
    store.close();
    const db = new Database(source);
    db.exec(
      'ALTER TABLE metrics DROP COLUMN wall_ms; ALTER TABLE runs ADD COLUMN dataset_id INTEGER',
    );
    db.pragma('user_version = 1');
    db.close();
    const current = join(dir, 'current.lsproj');
    const newer = ProjectStore.open(current, { create: true });
    const fresh = join(dir, 'fresh.lsproj');
    const timed = ProjectStore.open(fresh, { create: true });
    const timedId = timed.createRun('timed', STUDY, { maxSteps: 1 });
    timed.saveCheckpoint(
      timedId,
      { step: 1, bestLoss: 1, history: { ...history, times: [7, 8] } },
      1,
    );
    timed.close();
    expect(newer.importFrom(source)).toBe(1);
    expect(newer.importFrom(fresh)).toBe(1);
    const [a, b] = newer.listRuns();
    expect(newer.metrics(a!.id).loss).toEqual([2, 1]);
    // a merge keeps the wall-clock times it has (Compare's wall-time axis)
    expect(newer.metrics(b!.id).times).toEqual([7, 8]);
    newer.close();
  });

  it('marks runs left running by a dead process as interrupted on open', () => {
    const path = join(tmp(), 'p.lsproj');
    const store = ProjectStore.open(path, { create: true });
    const id = store.createRun('r', STUDY);
    store.setRunStatus(id, 'running');
    store.close();
    const again = ProjectStore.open(path);
    expect(again.getRun(id)!.status).toBe('interrupted');
    again.close();
  });

  it('lists a run whose stored JSON is damaged as damaged and keeps every other run usable', () => {
    const path = join(tmp(), 'p.lsproj');
    const store = ProjectStore.open(path, { create: true });
    const good = store.createRun('good', STUDY);
    const bad = store.createRun('bad', STUDY);
    store.close();
    const db = new Database(path);
    db.prepare("UPDATE runs SET results = '{not json' WHERE id = ?").run(bad);
    db.close();
    const again = ProjectStore.open(path);
    const runs = again.listRuns();
    expect(runs.map((r) => r.id)).toEqual([good, bad]);
    expect(runs[0]!.damage).toBeUndefined();
    expect(runs[0]!.config).toEqual(STUDY);
    expect(runs[1]!.damage).toMatch(new RegExp(`run ${bad}'s results is not valid JSON`));
    expect(runs[1]!.results).toBeNull();
    again.close();
  });

  it('stores an infinite condition number and a NaN as such, not as null', () => {
    const store = ProjectStore.open(join(tmp(), 'p.lsproj'), { create: true });
    const id = store.createRun('r', STUDY);
    const history = { steps: [0], loss: [1], parameters: [[1]], gradients: [[0]] };
    const results = {
      backend: 'cpu',
      dataset: { n: 1, drawn: 1, rejected: 0, singularDropped: 0 },
      model: { family: 'exact-form', parameterNames: ['c'], route: 'graph', linear: true },
      training: {
        status: 'completed' as const,
        message: '',
        steps: 1,
        parameters: [1],
        finalLoss: 1,
        bestLoss: 1,
        msPerStep: 1,
        elapsedMs: 1,
      },
      ratios: { c: Number.NaN },
      exact: {
        parameters: [0],
        loss: 0,
        conditionNumber: Infinity,
        effectiveConditionNumber: -Infinity,
        rank: 0,
      },
    };
    store.finishRun(id, {
      status: 'completed',
      message: '',
      results,
      history,
      checkpoint: null,
      finalLoss: 1,
      bestLoss: 1,
      step: 1,
    });
    const back = store.getRun(id)!.results!;
    expect(back.exact!.conditionNumber).toBe(Infinity);
    expect(back.exact!.effectiveConditionNumber).toBe(-Infinity);
    expect(back.ratios!.c).toBeNaN();
    store.close();
  });

  it('deleting a run removes its metrics and grids and leaves the other runs', () => {
    const store = ProjectStore.open(join(tmp(), 'p.lsproj'), { create: true });
    const a = store.createRun('a', STUDY);
    const b = store.createRun('b', STUDY);
    store.saveCheckpoint(
      a,
      {
        step: 1,
        bestLoss: 1,
        history: { steps: [0], loss: [1], parameters: [[1]], gradients: [[1]] },
      },
      1,
    );
    store.saveGrid(a, 'landscape', AXES, 1, 1, [1]);
    expect(store.deleteRun(a)).toBe(true);
    expect(store.metrics(a).steps).toEqual([]);
    expect(store.grids(a)).toEqual([]);
    expect(store.listRuns().map((r) => r.id)).toEqual([b]);
    store.close();
  });

  it('refuses a text file, a truncated project and a newer schema, each with its own message, leaving the file unchanged', () => {
    const dir = tmp();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'just some notes\n'.repeat(100));
    const textHash = sha(text);
    const e1 = openError(text);
    expect(e1.code).toBe('not-a-database');
    expect(e1.message).toMatch(/not an SQLite database/);
    expect(sha(text)).toBe(textHash);

    // A real project, then cut in half.
    const good = join(dir, 'good.lsproj');
    const store = ProjectStore.open(good, { create: true });
    for (let i = 0; i < 50; i++) {
      const id = store.createRun(`r${i}`, { ...STUDY, description: 'x'.repeat(2000) });
      store.saveGrid(id, 'landscape', AXES, 100, 10, new Float64Array(1000).fill(i));
    }
    store.close();
    const truncated = join(dir, 'truncated.lsproj');
    copyFileSync(good, truncated);
    truncateSync(truncated, Math.floor(statSync(truncated).size / 2));
    const truncHash = sha(truncated);
    const e2 = openError(truncated);
    expect(e2.code).toBe('corrupt');
    expect(e2.message).toMatch(/damaged/);
    expect(sha(truncated)).toBe(truncHash);

    const newer = join(dir, 'newer.lsproj');
    copyFileSync(good, newer);
    const db = new Database(newer);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.pragma('journal_mode = DELETE');
    db.close();
    const newerHash = sha(newer);
    const e3 = openError(newer);
    expect(e3.code).toBe('newer-schema');
    expect(e3.message).toMatch(/newer Lagrange Studio/);
    expect(sha(newer)).toBe(newerHash);

    const other = join(dir, 'other.sqlite');
    const odb = new Database(other);
    odb.exec('CREATE TABLE t(x)');
    odb.close();
    expect(openError(other).code).toBe('not-a-project');
    expect(new Set([e1.message, e2.message, e3.message]).size).toBe(3);
  });
});

describe('a missing project is answered in words (issue 30.4)', () => {
  it('no such file, and a folder that does not exist: missing, no snapshot or ENOENT text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lagrange-missing-'));
    try {
      for (const [path, why] of [
        [join(dir, 'nope.lsproj'), /No project at .*nope\.lsproj: there is no such file$/],
        [join(dir, 'gone', 'p.lsproj'), /its folder .*gone does not exist$/],
      ] as const) {
        let err: { code?: string; message?: string } = {};
        try {
          ProjectStore.open(path);
        } catch (e) {
          err = e as typeof err;
        }
        expect(err.code).toBe('missing');
        expect(err.message).toMatch(why);
        expect(err.message).not.toMatch(/ENOENT|copyfile|snapshot/);
      }
      for (const p of [join(dir, 'nope.lsproj'), join(dir, 'gone', 'p.lsproj')])
        expect(() => ProjectStore.open(p, { readOnly: true })).toThrow(/No project at/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
