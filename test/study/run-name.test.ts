import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDescription, runName } from '../../src-shared/study/run-name';
import { parseStudy, type StudySpec } from '../../src-shared/study/study-schema';

const origin = parseStudy(
  JSON.parse(
    readFileSync(join(__dirname, '../../resources/studies/1.1-origin-exact-fit.json'), 'utf8'),
  ),
);
const edit = (f: (s: StudySpec) => void): StudySpec => {
  const s = structuredClone<StudySpec>(origin);
  f(s);
  return s;
};

describe('honest run names', () => {
  it("keeps the template's name while nothing differs", () => {
    expect(runName(structuredClone<StudySpec>(origin), origin)).toBe(origin.name);
    expect(runDescription(origin, origin)).toBe(origin.description);
  });

  it('names what differs: optimizer and window, in the report’s words', () => {
    const far = edit((s) => {
      s.optimizer = { algorithm: 'gd', learningRate: 0.01 };
      s.sampling.window.q = [
        { min: -6, max: -4 },
        { min: 4, max: 6 },
      ];
    });
    expect(runName(far, origin)).toBe('GD lr 0.01 · q∈[−6, −4]×[4, 6]');
    expect(runDescription(far, origin)).toBe(
      `Based on “${origin.name}”, changed: optimizer GD lr 0.01; window q∈[−6, −4]×[4, 6].`,
    );
  });

  it('names the model family and the data when they change', () => {
    const neural = edit((s) => {
      s.model = { family: 'neural', hidden: [32, 32], activation: 'softplus', seed: 1 };
      s.sampling.count = 500;
    });
    expect(runName(neural, origin)).toBe('neural (32, 32) · 500 points');
  });

  it('describes the whole run without a template', () => {
    expect(runName(origin, null)).toBe('exact form · GD lr 0.001 · q∈[−1, 1]×[−1, 1]');
  });
});
