import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { readStudyFile } from '../../src-main/study/study-file';

const dir = mkdtempSync(join(tmpdir(), 'lagrange-study-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a relative measured.file resolves against the study file’s folder, not the working folder (28.10)', () => {
  const study = JSON.parse(readFileSync('resources/studies/1.1-origin-exact-fit.json', 'utf8')) as {
    measured?: unknown;
  };
  study.measured = {
    file: 'data/samples.csv',
    kind: 'samples',
    q: ['q0', 'q1'],
    qd: ['qd0', 'qd1'],
    qdd: ['qdd0', 'qdd1'],
  };
  mkdirSync(join(dir, 'shared'));
  const path = join(dir, 'shared', 'study.json');
  writeFileSync(path, JSON.stringify(study));
  const read = readStudyFile(path);
  expect(read.measured?.file).toBe(join(dir, 'shared', 'data', 'samples.csv'));
  // an absolute path is kept as written
  study.measured = { ...(study.measured as object), file: '/data/x.csv' };
  writeFileSync(path, JSON.stringify(study));
  expect(readStudyFile(path).measured?.file).toBe('/data/x.csv');
});
