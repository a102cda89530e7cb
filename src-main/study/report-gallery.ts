import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStudy, type StudySpec } from '../../src-shared/study/study-schema';

/** Where the bundled studies are: LAGRANGE_RESOURCES, ./resources, or beside the sources/build. */
export function studiesDir(): string {
  const here =
    typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url));
  const candidates = [
    process.env.LAGRANGE_RESOURCES && join(process.env.LAGRANGE_RESOURCES, 'studies'),
    join(process.cwd(), 'resources/studies'),
    join(here, '../../resources/studies'),
    join(here, '../resources/studies'),
  ].filter(Boolean) as string[];
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new Error(`The bundled studies were not found (looked in ${candidates.join(', ')})`);
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
