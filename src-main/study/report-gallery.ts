import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../src-shared/errors';
import { appRoot } from '../app-root';
import { parseStudy, type StudySpec } from '../../src-shared/study/study-schema';

/**
 * Where the bundled studies are: LAGRANGE_RESOURCES, the packaged app's resources folder
 * (electron-builder's extraResources), or resources/ of the application's own folder.
 */
export function studiesDir(): string {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    process.env.LAGRANGE_RESOURCES && join(process.env.LAGRANGE_RESOURCES, 'studies'),
    resourcesPath && join(resourcesPath, 'studies'),
    join(appRoot(), 'resources/studies'),
  ].filter(Boolean) as string[];
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new AppError(
      'not-found',
      `The bundled studies were not found (looked in ${candidates.join(', ')})`,
    );
  return found;
}

export function bundledStudies(): Array<{ file: string; study: StudySpec }> {
  const dir = studiesDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      study: parseStudy(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
    }));
}
