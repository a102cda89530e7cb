import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeProblem,
  formProblems,
  problemAt,
  refusedStudyFields,
} from '../../src-shared/study/form-problems';
import { parseStudy } from '../../src-shared/study/study-schema';

const study = () =>
  JSON.parse(
    readFileSync(join(__dirname, '../../resources/studies/1.1-origin-exact-fit.json'), 'utf8'),
  ) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('form problems, field by field', () => {
  it('a bundled study has none', () => {
    expect(formProblems(study())).toEqual([]);
  });

  it('min above max, a negative width, no points, a zero rate: each at its field, in plain words', () => {
    const s = study();
    s.sampling.window.q[0] = { min: 1, max: -1 };
    s.sampling.window.qd[1] = { centre: 0, width: -1 };
    s.sampling.count = -5;
    s.optimizer.learningRate = 0;
    const problems = formProblems(s);
    expect(problemAt(problems, 'sampling.window.q.0')).toBe('min must be below max');
    expect(problemAt(problems, 'sampling.window.qd.1')).toBe('the width must be positive');
    expect(problemAt(problems, 'sampling.window.q.1')).toBe('');
    expect(problems.map(describeProblem)).toEqual([
      'q0 window: min must be below max',
      'q̇1 window: the width must be positive',
      'points: must be at least 1',
      'learning rate: must be above 0',
    ]);
  });

  it('the server refuses the same study, naming the same path', () => {
    const s = study();
    s.sampling.window.q[0] = { min: 1, max: -1 };
    expect(() => parseStudy(s)).toThrow(/sampling\.window\.q\.0/);
  });

  it("a refusal's request paths land on the form's fields; other parts of the request do not", () => {
    const problems = refusedStudyFields([
      { path: 'study.sampling.count', message: 'Too small: expected number to be >=1' },
      { path: 'ticket', message: 'Invalid input' },
    ]);
    expect(problems).toEqual([
      { path: 'sampling.count', message: 'Too small: expected number to be >=1' },
    ]);
    expect(problemAt(problems, 'sampling.count')).toMatch(/>=1/);
  });
});
