import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DiscoveryResults } from '../../src-shared/dto/discovery';
import { parseStudy, type StudySpec } from '../../src-shared/study/study-schema';
import { generateDataset } from '../../src-main/engine/dataset';
import { discover } from '../../src-main/engine/discovery/discover';
import {
  compileParts,
  designColumns,
  evaluateParts,
  predictAccelerations,
} from '../../src-main/engine/discovery/euler-lagrange-columns';
import { buildLibrary } from '../../src-main/engine/discovery/library';
import { chargeInMagneticField, coulombPair } from '../../src-main/engine/systems/presets';
import { runStudy } from '../../src-main/study/run-study';
import { uniforms } from './helpers';

const load = (file: string): StudySpec =>
  parseStudy(JSON.parse(readFileSync(`resources/studies/${file}`, 'utf8')));
const VARIABLES = { coordinates: ['q0', 'q1'], velocities: ['qd0', 'qd1'] };

/** The chosen candidate's terms and coefficients by name. */
function chosen(d: DiscoveryResults): Record<string, number> {
  const c = d.path[d.selected]!;
  return Object.fromEntries(c.support.map((i) => [d.terms[i]!.name, c.coefficients[i]!]));
}

describe('Euler–Lagrange columns of library terms', () => {
  it('match the hand derivation for 1/|q0 − q1| and cos(q0 − q1) q̇0 q̇1', () => {
    const n = 50;
    const q0 = uniforms(1, n, -1, 1);
    const q1 = uniforms(2, n, -1, 1);
    const qd0 = uniforms(3, n, -1, 1);
    const qd1 = uniforms(4, n, -1, 1);
    const qdd0 = uniforms(5, n, -3, 3);
    const qdd1 = uniforms(6, n, -3, 3);
    const terms = buildLibrary({ custom: ['1/abs(q0 - q1)', 'cos(q0 - q1)*qd0*qd1'] }, VARIABLES);
    const parts = evaluateParts(
      compileParts(terms, VARIABLES),
      2,
      { q: [q0, q1], qd: [qd0, qd1] },
      VARIABLES,
    );
    const [coulomb, coupled] = designColumns(parts, [qdd0, qdd1]);
    for (let s = 0; s < n; s++) {
      const r = q0[s]! - q1[s]!;
      // E_j[1/|r|] = −∂_j (1/|r|): +sgn(r)/r² for q0, −sgn(r)/r² for q1
      expect(coulomb![s]).toBeCloseTo(Math.sign(r) / r ** 2, 10);
      expect(coulomb![n + s]).toBeCloseTo(-Math.sign(r) / r ** 2, 10);
      // φ = cos r q̇0 q̇1: ∂φ/∂q̇0 = cos r q̇1, d/dt = −sin r (q̇0 − q̇1) q̇1 + cos r q̈1,
      // ∂φ/∂q0 = −sin r q̇0 q̇1  ⇒  E_0 = cos r q̈1 + sin r q̇1²;
      // likewise E_1 = cos r q̈0 − sin r q̇0²
      const [c, sn] = [Math.cos(r), Math.sin(r)];
      expect(coupled![s]).toBeCloseTo(c * qdd1[s]! + sn * qd1[s]! ** 2, 10);
      expect(coupled![n + s]).toBeCloseTo(c * qdd0[s]! - sn * qd0[s]! ** 2, 10);
    }
  });

  it('predict the true q̈ from the true coefficients (a second route to the dataset)', () => {
    const data = generateDataset({
      system: coulombPair,
      sampling: load('discovery-report-lagrangian.json').sampling,
    });
    const terms = buildLibrary(
      { custom: ['qd0^2', 'qd1^2', 'q0^2', 'q1^2', '1/abs(q0 - q1)'] },
      VARIABLES,
    );
    const parts = evaluateParts(compileParts(terms, VARIABLES), terms.length, data, VARIABLES);
    const predicted = predictAccelerations(parts, [0.5, 0.5, -2, -2, -1]);
    for (let j = 0; j < 2; j++)
      for (let s = 0; s < data.n; s += 97)
        expect(predicted[j]![s]).toBeCloseTo(data.qdd[j]![s]!, 9);
  });
});

describe('discovering a Lagrangian by sparse regression', () => {
  it("finds the report's Lagrangian among 30 terms, noise-free, to 1e-6", async () => {
    const study = load('discovery-report-lagrangian.json');
    const { results } = await runStudy(study);
    const d = results.discovery!;
    expect(d.terms.length).toBeGreaterThanOrEqual(30);
    const found = chosen(d);
    expect(Object.keys(found).sort()).toEqual(
      ['1/abs(q0 - q1)', 'q0^2', 'q1^2', 'qd0^2', 'qd1^2'].sort(),
    );
    // ½ q̇² − ½ k q² − α/|q0 − q1| with k = 4, α = 1
    const truth = { 'qd0^2': 0.5, 'qd1^2': 0.5, 'q0^2': -2, 'q1^2': -2, '1/abs(q0 - q1)': -1 };
    for (const [term, value] of Object.entries(truth))
      expect(Math.abs(found[term]! - value), term).toBeLessThan(1e-6);
    expect(results.training.parameters.length).toBe(d.terms.length);
  });

  it('finds the same terms with 1% noise on q̈, coefficients within 1%', async () => {
    const { results } = await runStudy(load('discovery-report-lagrangian-noise-1pct.json'));
    const found = chosen(results.discovery!);
    const truth = { 'qd0^2': 0.5, 'qd1^2': 0.5, 'q0^2': -2, 'q1^2': -2, '1/abs(q0 - q1)': -1 };
    expect(Object.keys(found).sort()).toEqual(Object.keys(truth).sort());
    for (const [term, value] of Object.entries(truth))
      expect(Math.abs(found[term]! / value - 1), term).toBeLessThan(0.01);
    // and the reported uncertainties cover the errors (within 4 standard errors)
    const d = results.discovery!;
    const c = d.path[d.selected]!;
    for (const i of c.support)
      if (d.terms[i]!.status === 'candidate') {
        const value = truth[d.terms[i]!.name as keyof typeof truth];
        expect(Math.abs(c.coefficients[i]! - value)).toBeLessThan(4 * c.standardErrors[i]! + 1e-12);
      }
  });

  it('finds the double pendulum among 25 distractors, noise-free, to 1e-4', async () => {
    const { results } = await runStudy(load('discovery-double-pendulum.json'));
    const d = results.discovery!;
    expect(d.terms.length - 5).toBeGreaterThanOrEqual(20);
    // (m1+m2)l1²/2 q̇0² + m2 l2²/2 q̇1² + m2 l1 l2 cos(q0−q1) q̇0q̇1
    //   + (m1+m2) g l1 cos q0 + m2 g l2 cos q1
    const truth = {
      'qd0^2': 1,
      'qd1^2': 0.5,
      'cos(q0 - q1)*qd0*qd1': 1,
      'cos(q0)': 2 * 9.81,
      'cos(q1)': 9.81,
    };
    const found = chosen(d);
    expect(Object.keys(found).sort()).toEqual(Object.keys(truth).sort());
    for (const [term, value] of Object.entries(truth))
      expect(Math.abs(found[term]! - value), term).toBeLessThan(1e-4);
  });

  it('reports a total derivative as having no effect and a gauge pair as dependent', () => {
    // Charge in a magnetic field: ½(q̇0² + q̇1²) + B/2 (q0 q̇1 − q1 q̇0) − ½k q², B = 2, k = 1.
    // q0 q̇0 = d/dt(q0²/2) moves nothing; q0 q̇1 and q1 q̇0 differ by d/dt(q0 q1).
    const data = generateDataset({
      system: chargeInMagneticField,
      sampling: {
        window: {
          q: [
            { min: -1, max: 1 },
            { min: -1, max: 1 },
          ],
          qd: [
            { min: -1, max: 1 },
            { min: -1, max: 1 },
          ],
        },
        count: 2000,
        seed: 3,
      },
    });
    const d = discover({
      spec: {
        family: 'discovery',
        library: { kinetic: true, polynomialOrder: 2, custom: ['q0*qd0', 'q0*qd1', 'q1*qd0'] },
        normalisation: { term: 'qd0^2', coefficient: 0.5 },
      },
      variables: VARIABLES,
      training: data,
    });
    const status = Object.fromEntries(d.terms.map((t) => [t.name, t.status]));
    expect(status['q0*qd0']).toBe('no-effect');
    expect(status['q1*qd0']).toBe('dependent');
    expect(d.terms.find((t) => t.name === 'q1*qd0')!.note).toMatch(/q0\*qd1/);
    const found = chosen(d);
    expect(found['q0*qd0']).toBeUndefined();
    // The gyroscopic term carries the whole field: B q0 q̇1 ≡ B/2 (q0 q̇1 − q1 q̇0) up to d/dt.
    expect(found['q0*qd1']).toBeCloseTo(2, 8);
    expect(found['q0^2']).toBeCloseTo(-0.5, 8);
    expect(found['q1^2']).toBeCloseTo(-0.5, 8);
  });
});
