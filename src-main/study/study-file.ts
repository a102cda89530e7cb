import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseStudy, type StudySpec } from '../../src-shared/study/study-schema';

/**
 * A study file, parsed, with the paths it names resolved against the file's own folder (a study
 * beside its data reads the same from any working folder, issue 28.10); the run stores the
 * absolute path, so it regenerates its data wherever it is reopened.
 */
export function readStudyFile(path: string): StudySpec {
  const study = parseStudy(JSON.parse(readFileSync(path, 'utf8')));
  return withPathsFrom(study, dirname(resolve(path)));
}

/** `measured.file` made absolute against `folder` when it is relative. */
export function withPathsFrom(study: StudySpec, folder: string): StudySpec {
  if (!study.measured || isAbsolute(study.measured.file)) return study;
  return { ...study, measured: { ...study.measured, file: resolve(folder, study.measured.file) } };
}
