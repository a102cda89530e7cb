import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStudy } from '../../src-shared/study/study-schema';
import { STUDY_SCHEMA_FILE, studyJsonSchema } from '../../src-main/cli/study-schema-json';

describe('the study file JSON Schema', () => {
  it('resources/study.schema.json is current with the zod schema (npm run schema)', () => {
    expect(JSON.parse(readFileSync(STUDY_SCHEMA_FILE, 'utf8'))).toEqual(
      JSON.parse(studyJsonSchema()),
    );
  });

  it('every bundled study names it in "$schema" and parses', () => {
    for (const file of readdirSync('resources/studies').filter((f) => f.endsWith('.json'))) {
      const raw = JSON.parse(readFileSync(`resources/studies/${file}`, 'utf8')) as {
        $schema?: string;
      };
      expect(raw.$schema, file).toBe('../study.schema.json');
      expect(parseStudy(raw).name.length, file).toBeGreaterThan(0);
    }
  });

  it('the schema refuses what the app refuses: unknown keys, a negative count', () => {
    const schema = JSON.parse(studyJsonSchema()) as {
      additionalProperties: boolean;
      properties: { sampling: { properties: { count: { minimum: number } } } };
      required: string[];
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.sampling.properties.count.minimum).toBe(1);
    expect(schema.required).toEqual(
      expect.arrayContaining(['name', 'system', 'sampling', 'model']),
    );
  });
});
