import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDescription, runName } from '../../src-shared/study/run-name';
import { fittedLagrangian } from '../../src-shared/figures/discovered-lagrangian';
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

describe('names say what a run is (issues 28.7, 30.12)', () => {
  const discovery = parseStudy(
    JSON.parse(
      readFileSync(
        join(__dirname, '../../resources/studies/discovery-report-lagrangian-noise-1pct.json'),
        'utf8',
      ),
    ),
  );
  it('a discovery run: its library size and noise', () => {
    if (discovery.model.family !== 'discovery') throw new Error('not a discovery study');
    // the report study's library: 30 terms (docs/discovery.md)
    expect(runName(discovery, null)).toMatch(/^discovery · 30 terms · 1 % noise · q∈/);
    const noisier = structuredClone<StudySpec>(discovery);
    noisier.sampling.accelerationNoise = { relative: 0.05, seed: 1 };
    expect(runName(noisier, discovery)).toBe('5 % noise');
  });

  it('a refined discovery names itself and its terms', () => {
    const refined = edit((s) => {
      s.model = {
        family: 'exact-form',
        learnable: ['c1', 'c2'],
        expression: {
          lagrangian: '0.5*qd0^2 + c1*qd1^2 + c2*q0^2',
          parameters: [
            { name: 'c1', value: 0.5 },
            { name: 'c2', value: -2 },
          ],
        },
      };
    });
    expect(runName(refined, origin)).toBe('refined discovery · 3 terms');
  });

  it('an edited Lagrangian is not named after the unchanged preset; a new grid is named', () => {
    const edited = edit((s) => {
      s.system.lagrangian = `${s.system.lagrangian} + 0.1*q0^4`;
      s.landscape = { ...s.landscape!, x: { ...s.landscape!.x, count: 50 } };
    });
    const name = runName(edited, origin);
    expect(name).toContain(`edited ${origin.system.name}`);
    expect(name).toMatch(/landscape 50×\d+/);
  });
});

describe('a refined model shows its learned L (issue 28.7)', () => {
  it('substitutes the fitted values for the free coefficients, names only', () => {
    const refined = edit((s) => {
      s.model = {
        family: 'exact-form',
        learnable: ['c1', 'c2'],
        expression: {
          lagrangian: '0.5*qd0^2 + c1*qd1^2 + c2*q0^2*c10',
          parameters: [
            { name: 'c1', value: 0.5 },
            { name: 'c2', value: -2 },
            { name: 'c10', value: 3 },
          ],
        },
      };
    });
    expect(fittedLagrangian(refined, ['c1', 'c2'], [0.49, -2.01])).toBe(
      '0.5*qd0^2 + (0.49)*qd1^2 + (-2.01)*q0^2*(3)',
    );
    expect(fittedLagrangian(origin, ['k', 'alpha'], [4, 1])).toBeNull();
  });
});
