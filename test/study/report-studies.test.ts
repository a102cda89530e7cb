import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { runStudy } from '../../src-main/study/run-study';
import { parseStudy } from '../../src-shared/study/study-schema';

const dir = join(__dirname, '../../resources/studies');
const load = (f: string) => parseStudy(JSON.parse(readFileSync(join(dir, f), 'utf8')));
// Fixed points at (∓r/2, ±r/2), r³ = 2α/k
const r = Math.cbrt(2 / 4);

describe("the report's studies in resources/studies", () => {
  it('every study file is valid', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files) expect(() => load(f)).not.toThrow();
  });

  it('1.1 origin window, as the report did it: plain GD lands where linear GD theory says; exact solve to 1e-6; two stable fixed points', async () => {
    const study = load('1.1-origin-exact-fit.json');
    expect(study.optimizer).toEqual({ algorithm: 'gd', learningRate: 0.001 });
    const { results, grids } = await runStudy(study);
    expect(grids.map((g) => g.kind)).toEqual(['landscape-difference', 'landscape-zoom']);
    const [k, alpha] = results.training.parameters;
    // q̈ is affine in (k, α), so the loss is quadratic and GD is linear: after T steps
    // θ_T − θ* = Σ_i (1 − lr λ_i)^T (v_i · (θ_0 − θ*)) v_i over the loss Hessian's eigenpairs.
    const { eigenvalues, sloppyDirection, stiffDirection } = results.identifiability!;
    const optimum = results.exact!.parameters;
    const start = [1 - optimum[0]!, 0.2 - optimum[1]!];
    const predicted = [0, 1].map((c) =>
      [sloppyDirection, stiffDirection].reduce((sum, v, i) => {
        const lambda = [Math.min(...eigenvalues), Math.max(...eigenvalues)][i]!;
        const along = v[0]! * start[0]! + v[1]! * start[1]!;
        return sum + (1 - 0.001 * lambda) ** 3000 * along * v[c]!;
      }, optimum[c]!),
    );
    expect(Math.abs(k! - predicted[0]!)).toBeLessThan(1e-3);
    expect(Math.abs(alpha! - predicted[1]!)).toBeLessThan(1e-4);
    // α fits first; k is still on its way (the report: the loss does not saturate)
    expect(Math.abs(alpha! - 1)).toBeLessThan(1e-3);
    expect(4 - k!).toBeGreaterThan(0.01);
    expect(results.ratios!.k).toBeCloseTo(k! / 4, 12);
    expect(Math.abs(results.exact!.parameters[0]! - 4)).toBeLessThan(1e-6);
    expect(results.fixedPoints!.map((f) => f.q[0])).toEqual([
      expect.closeTo(-r / 2, 9),
      expect.closeTo(r / 2, 9),
    ]);
    expect(results.fixedPoints!.every((f) => f.stability === 'stable')).toBe(true);
    // the fit's own equilibria: r³ = 2α/k of the fitted values
    const rFit = Math.cbrt((2 * alpha!) / k!);
    expect(results.fixedPointsFit!.map((f) => f.q[0])).toEqual([
      expect.closeTo(-rFit / 2, 9),
      expect.closeTo(rFit / 2, 9),
    ]);
    expect(results.roughness!.medianRelativeDifference).toBeLessThan(1e-4);
    // drift on the scale of max T along the rollout, not |E0| (issue 28.9): RK45 at 1e-9
    expect(results.rollout!.energyDriftTruth).toBeLessThan(1e-6);
  });

  it('1.1 with Adam (what Adam does): k = 4, alpha = 1 within 1e-3 and a rollout within 1e-3', async () => {
    const { results } = await runStudy({
      ...load('1.1-origin-exact-fit-adam.json'),
      landscape: undefined,
    });
    const [k, alpha] = results.training.parameters;
    expect(Math.abs(k! - 4)).toBeLessThan(1e-3);
    expect(Math.abs(alpha! - 1)).toBeLessThan(1e-3);
    // the fitted Lagrangian's trajectory stays within 1e-3 of the truth over 10 periods (T = π)
    expect(results.rollout!.maxDeviation).toBeLessThan(1e-3);
    // results.timings: wall time of every phase that ran, and the whole, which contains them
    const t = results.timings!;
    for (const phase of ['dataset', 'compile', 'training', 'exact-solve', 'rollout', 'total'])
      expect(t[phase], phase).toBeGreaterThanOrEqual(0);
    const phases = Object.entries(t).filter(([k]) => k !== 'total');
    expect(phases.reduce((sum, [, v]) => sum + v, 0)).toBeLessThanOrEqual(t.total! + 1e-6);
  });

  it('1.2.1 far from the origin: k fits, alpha barely moves; alpha is ≥ 100× less identifiable than at the origin', async () => {
    const { results } = await runStudy(load('1.2.1-far-from-origin.json'));
    const origin = await runStudy({
      ...load('1.1-origin-exact-fit.json'),
      stopping: { maxSteps: 10 },
      landscape: undefined,
      rollout: undefined,
      fixedPoints: false,
    });
    expect(origin.grids).toEqual([]);
    // the mean-loss Hessian in (k, alpha): float64 here gives about 3.6e6 against 1.1e3
    expect(
      results.identifiability!.conditionNumber / origin.results.identifiability!.conditionNumber,
    ).toBeGreaterThan(100);
    // the sloppy direction is (almost) pure alpha
    expect(Math.abs(results.identifiability!.sloppyDirection[1]!)).toBeGreaterThan(0.99);
    expect(Math.abs(results.training.parameters[0]! - 4)).toBeLessThan(1e-2);
    expect(Math.abs(results.training.parameters[1]! - 1)).toBeGreaterThan(0.5);
    // the report's loss-adaptive rate: even its largest value (lr × maxFactor) is below 2/λmax
    const { optimizer } = load('1.2.1-far-from-origin.json');
    expect(optimizer).toMatchObject({ algorithm: 'gd', schedule: { kind: 'loss-adaptive' } });
    const schedule = (optimizer as { schedule: { maxFactor: number } }).schedule;
    expect(optimizer.learningRate * schedule.maxFactor).toBeLessThan(
      results.identifiability!.maxStableLearningRate,
    );
  });

  it('1.2.2 near a fixed point: plain GD converges to truth within 1e-3, as the report found', async () => {
    const study = load('1.2.2-near-fixed-point.json');
    expect(study.optimizer.algorithm).toBe('gd');
    const { results } = await runStudy(study);
    expect(study.optimizer.learningRate).toBeLessThan(
      results.identifiability!.maxStableLearningRate,
    );
    expect(Math.abs(results.training.parameters[0]! - 4)).toBeLessThan(1e-3);
    expect(Math.abs(results.training.parameters[1]! - 1)).toBeLessThan(1e-3);
  });

  it('1.2.2 zoomed to 0.0002: only the force balance k/alpha = 2/r³ = 4 is determined', async () => {
    const { results } = await runStudy(load('1.2.2-zoomed-fixed-point.json'));
    const [k, alpha] = results.training.parameters;
    expect(k! / alpha!).toBeCloseTo(4, 3);
    expect(results.identifiability!.conditionNumber).toBeGreaterThan(1e6);
  });

  it('2.2 runs 1 and 2: no optimizer run beats the exact solve', async () => {
    for (const f of ['2.2-run1-full-polynomial.json', '2.2-run2-coupling-polynomial.json']) {
      const study = { ...load(f), stopping: { maxSteps: 300 } };
      const { results } = await runStudy(study);
      expect(results.exact!.loss).toBeLessThanOrEqual(results.training.bestLoss * (1 + 1e-9));
    }
  });

  it('2.2.1 run 3: the narrow-window polynomial fails on the wide window (≥ 100× its training error)', async () => {
    const { results, history } = await runStudy(load('2.2.1-run3-narrow-window.json'));
    expect(results.validation!.ratio).toBeGreaterThan(100);
    // what figure 27's caption and the study's text say of the curve (30.10): five decades down
    // and still falling at step 1000, far above the exact optimum
    const loss = history.loss;
    expect(loss[0]! / loss.at(-1)!).toBeGreaterThan(1e4);
    expect(loss.at(-1)!).toBeLessThan(loss[loss.length - 101]!);
    expect(loss.at(-1)!).toBeGreaterThan(1e6 * results.exact!.loss);
    // and its trajectory leaves the truth (or blows up) once it leaves the training window
    expect(results.rollout ? results.rollout.maxDeviation : Infinity).toBeGreaterThan(0.05);
  });

  it('npm run study prints the summary and writes results and the dataset CSV', () => {
    const out = mkdtempSync(join(tmpdir(), 'lagrange-cli-'));
    try {
      const stdout = execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'src-main/cli/study.ts',
          join(dir, '1.1-origin-exact-fit-adam.json'),
          '--out',
          join(out, 'r.json'),
          '--dataset-csv',
          join(out, 'd.csv'),
          '--project',
          join(out, 'p.lsproj'),
          '--figures',
          join(out, 'figs'),
          '--style',
          'paper',
          '--formats',
          'pdf,png,svg',
          '--colour-map',
          'magma',
        ],
        { cwd: join(__dirname, '../..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(stdout).toMatch(/fitted: k = 4\.000000, alpha = 1\.000000/);
      const results = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8'));
      expect(results.metrics.steps.at(-1)).toBe(1000);
      const csv = readFileSync(join(out, 'd.csv'), 'utf8').trim().split('\n');
      expect(csv[0]).toBe('q0,q1,qd0,qd1,q0_ddot,q1_ddot');
      expect(csv.length - 1).toBe(results.results.dataset.n);
      // row check by hand: q̈0 = −4 q0 + sgn(q0−q1)/(q0−q1)²
      const [q0, q1, , , a0] = csv[1]!.split(',').map(Number);
      expect(a0).toBeCloseTo(-4 * q0! + Math.sign(q0! - q1!) / (q0! - q1!) ** 2, 10);
      // --figures --style paper --formats pdf,png,svg: every figure in the three formats, listed
      // with its caption in figures.json
      const figs = readdirSync(join(out, 'figs'));
      const manifest = JSON.parse(readFileSync(join(out, 'figs/figures.json'), 'utf8')) as Array<{
        figure: string;
        caption: string;
        style: string;
        colourMap: string;
        files: string[];
      }>;
      const kinds = manifest.map((m) => m.figure);
      for (const kind of ['loss', 'landscape', 'quiver', 'error-absolute', 'rollout-energy'])
        expect(kinds).toContain(kind);
      for (const m of manifest) {
        expect(m.style).toBe('paper');
        expect(m.colourMap).toBe('magma');
        expect(m.files.map((f) => f.split('.').pop()).sort()).toEqual(['pdf', 'png', 'svg']);
        for (const f of m.files) expect(figs).toContain(f);
      }
      expect(figs).toHaveLength(3 * manifest.length + 1);
      const landscape = manifest.find((m) => m.figure === 'landscape')!;
      expect(landscape.caption).toMatch(/landscape/i);
      // --colour-map magma: the colour bar's gradient ends at magma's light yellow, not viridis's
      const svg = readFileSync(
        join(
          out,
          'figs',
          landscape.files.find((f) => f.endsWith('.svg'))!,
        ),
      );
      expect(svg.toString()).toMatch(/#fcfdbf|rgb\(252,\s*253,\s*191\)/i);
      expect(svg.toString()).not.toMatch(/#fde725|rgb\(253,\s*231,\s*37\)/i);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 240_000); // a tsx process with figures: about 50 s beside a second npm test (31.9)
});
