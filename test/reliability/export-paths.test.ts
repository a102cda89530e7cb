import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../src-shared/dto/runs';
import { parseStudy, type StudySpec } from '../../src-shared/study/study-schema';
import { exportRuns, runFolder } from '../../src-main/export/run-export';
import { safeFileName, SafeFolder } from '../../src-main/export/safe-folder';
import { storedRun } from './stored-run';

/*
 * Issue 32.1: a study someone sends must not make an export write outside the chosen folder
 * (record keys became file names under MLflow's params/), nor follow a symlink planted there.
 */

const base = (): StudySpec =>
  parseStudy(JSON.parse(readFileSync('resources/studies/1.1-origin-exact-fit.json', 'utf8')));

/** A stored run as the export sees it, its config unchecked (a damaged or hostile project). */
const detailWith = (config: unknown): RunDetail =>
  storedRun(
    { id: 7, name: 'x/../../evil', config: config as StudySpec, damage: 'test' },
    { steps: [0, 1], loss: [2, 1], parameters: [[1], [2]], gradients: [[0], [0]] },
  );

/** Every file below `dir`, relative. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lagrange-export-paths-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('exports never write outside their folder', () => {
  it('a record key that is not a parameter name is refused where the study is read', () => {
    const study = base();
    const hostile = { ...study, trueParameters: { 'x/../../../../tmp/pwned': 1 } };
    expect(() => parseStudy(hostile)).toThrow(/trueParameters.*not a parameter of the system/);
    const initial = {
      ...study,
      model: { family: 'exact-form', learnable: ['k'], initial: { '../k': 1 } },
    };
    expect(() => parseStudy(initial)).toThrow(/model\.initial.*not a parameter of the model/);
    expect(() => parseStudy({ ...study, sweepPoint: { 'a/../../b': 1 } })).toThrow(/sweepPoint/);
    // the system's own names still pass
    expect(parseStudy({ ...study, trueParameters: { k: 3 } }).trueParameters).toEqual({ k: 3 });
  });

  it('MLflow params with traversal keys stay inside the folder, encoded and distinct', () => {
    const out = join(root, 'export');
    const outside = join(root, 'outside.txt');
    const escape = `x/${'../'.repeat(6)}${relative('/', outside)}`;
    const config = {
      ...base(),
      $schema: 'https://example.org/s.json',
      trueParameters: { [escape]: 1, 'a:b': 2, 'f(x)': 3, a_b: 4 },
    };
    const files = exportRuns([detailWith(config)], out, ['mlflow', 'csv']);
    expect(existsSync(outside)).toBe(false);
    expect(tree(root).every((f) => f.startsWith('export'))).toBe(true);
    for (const f of files) expect(relative(out, f).startsWith('..')).toBe(false);
    const params = readdirSync(join(out, 'mlruns', '0', '7', 'params'));
    // MLflow's reader accepts [/\w.\- ]; no name starts with a dot; no $schema param
    for (const p of params) expect(p).toMatch(/^[A-Za-z0-9_\- ][A-Za-z0-9_.\- ]*$/);
    expect(params.some((p) => p.includes('schema'))).toBe(false);
    expect(params).toContain('trueParameters.a_b');
    const encoded = params.filter((p) => p.startsWith('trueParameters.a_b-'));
    expect(encoded).toHaveLength(1); // "a:b" encoded apart from "a_b"
  });

  it('a symlink planted in the export folder is refused, not followed', () => {
    const out = join(root, 'export');
    const target = join(root, 'target');
    mkdirSync(out);
    mkdirSync(target);
    symlinkSync(target, join(out, 'mlruns'));
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, 'keep');
    symlinkSync(victim, join(out, 'figures.json'));
    expect(() => exportRuns([detailWith(base())], out, ['mlflow'])).toThrow(/symbolic link/);
    expect(readdirSync(target)).toEqual([]);
    const folder = new SafeFolder(out);
    expect(() => folder.write(['figures.json'], 'x')).toThrow(/symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('keep');
  });

  it('names are single components: separators, dot names and NUL are refused', () => {
    const folder = new SafeFolder(join(root, 'f'));
    for (const bad of ['..', '.', 'a/b', 'a\\b', 'a\0b', ''])
      expect(() => folder.write([bad], 'x')).toThrow(/not a plain file name/);
    expect(safeFileName('..')).toMatch(/^_-[0-9a-f]{8}$/);
    expect(safeFileName('k')).toBe('k');
    expect(safeFileName('x'.repeat(400)).length).toBeLessThanOrEqual(250);
  });

  it('a failed export removes what it wrote', () => {
    const out = join(root, 'export');
    const detail = detailWith(base());
    // a folder where study.json goes makes the last write fail after the metrics were written
    mkdirSync(join(out, runFolder(detail), 'study.json'), { recursive: true });
    expect(() => exportRuns([detail], out, ['csv'])).toThrow(
      /Could not write .*study\.json: a folder of that name is in the way/,
    );
    expect(tree(out)).toEqual([]); // metrics.csv was written, then removed
    expect(existsSync(join(out, runFolder(detail), 'study.json'))).toBe(true); // not ours: kept
  });
});
