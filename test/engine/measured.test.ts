import { execFileSync } from 'node:child_process';
import { hasNumpy, PYTHON } from '../python';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { mersenne } from 'pure-rand/generator/mersenne';
import { importMeasured, parseCsv, savitzkyGolayWeights } from '../../src-main/engine/measured';
import { compileModel } from '../../src-main/engine/models/compile-model';
import { coulombPair, harmonicOscillator } from '../../src-main/engine/systems/presets';
import { parseSystem } from '../../src-main/engine/systems/system';
import { exactSolve } from '../../src-main/engine/training/exact-solve';
import { linearFormOf } from '../../src-main/engine/training/objective';
import { expressionRolloutSystem, rollout } from '../../src-main/engine/analysis/rollout';
import { FIXED_POINT_HALF_SEPARATION } from './fixtures';
import { useBackend } from './helpers';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('Savitzky–Golay weights', () => {
  it('the 5-point quadratic first-derivative filter is (−2, −1, 0, 1, 2)/10', () => {
    savitzkyGolayWeights(5, 2, 1).forEach((w, i) =>
      expect(w).toBeCloseTo([-2, -1, 0, 1, 2][i]! / 10, 12),
    );
  });
  it('the 5-point quadratic second-derivative filter is (2, −1, −2, −1, 2)/7', () => {
    savitzkyGolayWeights(5, 2, 2).forEach((w, i) =>
      expect(w).toBeCloseTo([2, -1, -2, -1, 2][i]! / 7, 12),
    );
  });
  it('refuses an even window or too high an order', () => {
    expect(() => savitzkyGolayWeights(4, 2, 1)).toThrow(/odd/);
    expect(() => savitzkyGolayWeights(5, 5, 1)).toThrow(/order/);
    expect(() => savitzkyGolayWeights(101, 21, 2)).toThrow(/numerically unsafe/);
  });

  it('order 10 over 101 points differentiates a degree-10 polynomial exactly', () => {
    // p(r) = Σ_{j=0..10} c_j r^j: a fit of order 10 reproduces it, so the filter returns p'(0) and
    // p''(0) at the centre (offsets r = −50…50, unit spacing). Raw offsets lose every digit here.
    const coeffs = Array.from({ length: 11 }, (_, j) => ((j % 3) - 1) / 30 ** j);
    const p = (r: number) => coeffs.reduce((s, c, j) => s + c * r ** j, 0);
    const samples = Array.from({ length: 101 }, (_, k) => p(k - 50));
    const apply = (w: number[]) => w.reduce((s, wk, k) => s + wk * samples[k]!, 0);
    // p'(0) = c1, p''(0) = 2 c2
    expect(apply(savitzkyGolayWeights(101, 10, 1))).toBeCloseTo(coeffs[1]!, 12);
    expect(apply(savitzkyGolayWeights(101, 10, 2))).toBeCloseTo(2 * coeffs[2]!, 12);
  });

  it('order 10 over 101 points follows sin t with noise: q̇, q̈ against cos t, −sin t', () => {
    // sin t sampled every dt = 0.01 with ±1e-6 noise; derivatives in t are the filter's / dt^k.
    const rng = mersenne(7);
    const dt = 0.01;
    const t0 = 0.7;
    const samples = Array.from(
      { length: 101 },
      (_, k) => Math.sin(t0 + (k - 50) * dt) + (uniformFloat64(rng) - 0.5) * 2e-6,
    );
    const apply = (w: number[]) => w.reduce((s, wk, k) => s + wk * samples[k]!, 0);
    expect(apply(savitzkyGolayWeights(101, 10, 1)) / dt).toBeCloseTo(Math.cos(t0), 4);
    expect(apply(savitzkyGolayWeights(101, 10, 2)) / dt ** 2).toBeCloseTo(-Math.sin(t0), 1);
  });
});

/** What numpy.savetxt writes for columns t, cos t with header 't<delimiter>q0'. */
function numpySavetxt(t: number[], delimiter: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lagrange-npy-'));
  const file = join(dir, 'data.txt');
  try {
    const script = `import numpy as np, sys
t = np.array(${JSON.stringify(t)})
np.savetxt(sys.argv[1], np.c_[t, np.cos(t)], delimiter=sys.argv[2], header=sys.argv[2].join(['t', 'q0']))`;
    execFileSync(PYTHON, ['-c', script, file, delimiter], { stdio: 'pipe' });
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('measured data', () => {
  it('reads units, reports bad rows by line', () => {
    const t = parseCsv('t [s],q0 [m]\n0,1\n0.1,abc\n0.2\n0.3,4\n');
    expect(t.units).toEqual({ t: 's', q0: 'm' });
    expect(t.bad).toEqual([
      { line: 3, reason: '"abc" in column q0 is not a number' },
      { line: 4, reason: '1 fields, expected 2' },
    ]);
    expect(t.rows.map((r) => r.line)).toEqual([2, 5]);
  });

  it("reads numpy.savetxt files: the '# t,q0' header above numeric rows, %.18e numbers", () => {
    // np.savetxt(f, np.c_[t, q], delimiter=',', header='t,q0') with numpy's default fmt.
    const t = [0, 0.1, 0.2];
    const written = hasNumpy
      ? numpySavetxt(t, ',')
      : `# t,q0\n${t.map((x) => `${x.toExponential(18)},${Math.cos(x).toExponential(18)}`).join('\n')}\n`;
    const table = parseCsv(written);
    expect(table.header).toEqual(['t', 'q0']);
    expect(table.rows.map((r) => r.line)).toEqual([2, 3, 4]);
    table.rows.forEach((r, i) => {
      expect(r.cells[0]).toBeCloseTo(t[i]!, 15);
      expect(r.cells[1]).toBeCloseTo(Math.cos(t[i]!), 15);
    });
    expect(table.bad).toEqual([]);
  });

  it('reads tab-separated files, quoted fields and semicolons with decimal commas', () => {
    const tsv = hasNumpy
      ? numpySavetxt([0, 0.5], '\t')
      : '# t\tq0\n0\t1\n0.5\t0.8775825618903728\n';
    const a = parseCsv(tsv);
    expect(a.delimiter).toBe('\t');
    expect(a.header).toEqual(['t', 'q0']);
    expect(a.rows[1]!.cells[1]).toBeCloseTo(Math.cos(0.5), 15);
    const b = parseCsv('"t [s]";"q0 [m]"\n0,5;1,25\n# a comment\n1,5;2\n');
    expect(b.header).toEqual(['t', 'q0']);
    expect(b.units).toEqual({ t: 's', q0: 'm' });
    expect(b.rows.map((r) => [r.line, ...r.cells])).toEqual([
      [2, 0.5, 1.25],
      [4, 1.5, 2],
    ]);
    expect(() => parseCsv('1,2\n3,4\n')).toThrow(/no column names/);
  });

  it('a noisy oscillator trajectory is imported and fitted back to k within 1%', () => {
    // q(t) = 0.7 cos 2t + 0.3 sin 2t (k = 4, m = 1), noise ±1e-5, dt = 0.01
    const rng = mersenne(3);
    const lines = ['t [s],x [m]'];
    for (let i = 0; i < 2000; i++) {
      const t = i * 0.01;
      lines.push(
        `${t},${0.7 * Math.cos(2 * t) + 0.3 * Math.sin(2 * t) + (uniformFloat64(rng) - 0.5) * 2e-5}`,
      );
    }
    lines.splice(500, 0, '5.0,not-a-number');
    const { samples, report } = importMeasured(lines.join('\n'), {
      kind: 'trajectory',
      time: 't',
      coordinates: ['x'],
      window: 21,
      order: 4,
    });
    expect(report.bad.some((b) => b.reason.includes('not-a-number'))).toBe(true);
    expect(report.units.x).toBe('m');
    const model = compileModel({ family: 'exact-form', learnable: ['k'] }, harmonicOscillator);
    const fit = exactSolve(linearFormOf(model, samples), samples, { reduction: 'mean' });
    expect(Math.abs(fit.parameters[0]! - 4) / 4).toBeLessThan(0.01);
  });

  it('a noisy Coulomb-pair trajectory gives back k and alpha within 1%', () => {
    const p = parseSystem(coulombPair);
    const c = FIXED_POINT_HALF_SEPARATION;
    const tr = rollout(
      expressionRolloutSystem(
        p.lagrangian,
        coulombPair.coordinates,
        coulombPair.velocities,
        p.parameterValues,
      ),
      [-c + 0.08, c + 0.03],
      [0.2, -0.1],
      { duration: 20, method: 'rk4', dt: 0.001, maxSamples: 2000 },
    );
    const rng = mersenne(4);
    const noise = () => (uniformFloat64(rng) - 0.5) * 2e-6;
    const csv = [
      'time,left,right',
      ...tr.t.map((t, k) => `${t},${tr.q[0]![k]! + noise()},${tr.q[1]![k]! + noise()}`),
    ].join('\n');
    const { samples } = importMeasured(csv, {
      kind: 'trajectory',
      time: 'time',
      coordinates: ['left', 'right'],
      window: 15,
      order: 4,
    });
    const model = compileModel({ family: 'exact-form', learnable: ['k', 'alpha'] }, coulombPair);
    const fit = exactSolve(linearFormOf(model, samples), samples, { reduction: 'mean' });
    expect(Math.abs(fit.parameters[0]! - 4) / 4).toBeLessThan(0.01);
    expect(Math.abs(fit.parameters[1]! - 1)).toBeLessThan(0.01);
  });
});
