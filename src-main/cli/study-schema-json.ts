// npm run schema — writes resources/study.schema.json from the zod study schema, so editors
// (VS Code's "$schema", JSON language servers) validate study files as they are typed.
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { studySchema } from '../../src-shared/study/study-schema';

export const STUDY_SCHEMA_FILE = 'resources/study.schema.json';

/** The study file's JSON Schema (draft 2020-12), as text. */
export function studyJsonSchema(): string {
  const schema = z.toJSONSchema(studySchema, { io: 'input', unrepresentable: 'any' });
  const titled = {
    ...schema,
    $id: 'https://lagrangestudio.org/study.schema.json',
    title: 'Lagrange Studio study',
    description:
      'A study: system, sampling window, model, optimizer and analyses (docs/study-format.md).',
  };
  return `${JSON.stringify(titled, null, 2)}\n`;
}

if (process.argv[1] && /study-schema-json\.(ts|js)$/.test(process.argv[1])) {
  writeFileSync(STUDY_SCHEMA_FILE, studyJsonSchema());
  console.log(`wrote ${STUDY_SCHEMA_FILE}`);
}
