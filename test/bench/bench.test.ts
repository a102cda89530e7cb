import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '../../src-main/engine/dataset';
import { coulombPair, reportOriginWindow } from '../../src-main/engine/systems/presets';
import { ensureRendererBuilt, ROOT } from '../e2e/browser';

// npm run bench's numbers, checked for correctness (never for speed: timings are not asserted).
interface Row {
  workload: string;
  n: number;
  medianMs: number;
  result: string;
}
let rows: Row[];
let dir: string;
beforeAll(() => {
  // The built command (as `lagrange bench`): its workers start without tsx, which took half of
  // this file's time on a loaded CI machine.
  ensureRendererBuilt();
  dir = mkdtempSync(join(tmpdir(), 'lagrange-bench-'));
  const out = join(dir, 'bench.json');
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'bin/lagrange.mjs'),
      'bench',
      '--n',
      '1000',
      '--steps',
      '100',
      '--runs',
      '1',
      '--json',
      out,
    ],
    { cwd: ROOT, stdio: 'pipe' },
  );
  rows = JSON.parse(readFileSync(out, 'utf8')).rows;
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = (prefix: string) => rows.find((r) => r.workload.startsWith(prefix))!;
const num = (r: Row, name: string) =>
  Number(new RegExp(`${name}=(-?[\\d.e+-]+)`).exec(r.result)![1]);

describe('npm run bench -- --n 1000 --steps 100', () => {
  it('prints every workload row with a time', () => {
    for (const w of [
      'W1 parse',
      'W1 dataset',
      'W2 landscape, general, fused (2',
      'W2 landscape, general, fused (1',
      'W2 landscape, general, tfjs tensors (1',
      'W2 landscape, exact',
      'W3 exact fit, gd, graph (fused)',
      'W3 exact fit, adam, graph (fused)',
      'W3 exact fit, adam, graph (tfjs tensors)',
      'W3 exact fit, gd, gram',
      'W4 polynomial fit, adam, design (fused)',
      'W4 polynomial fit, adam, design (tfjs tensors)',
      'W4 polynomial fit, adam, gram',
    ]) {
      expect(row(w), w).toBeDefined();
      expect(row(w).medianMs).toBeGreaterThan(0);
    }
  });

  it('W1: mean |q̈| equals the hand formula on the same points', () => {
    const d = generateDataset({
      system: coulombPair,
      sampling: {
        window: reportOriginWindow(),
        count: 1000,
        seed: 1,
        countMode: 'drawn',
      },
    });
    let sum = 0;
    for (let s = 0; s < d.n; s++) {
      const r = d.q[0]![s]! - d.q[1]![s]!;
      const c = Math.sign(r) / (r * r); // q̈0 = −4q0 + sgn(r)/r², q̈1 = −4q1 − sgn(r)/r²
      sum += Math.hypot(-4 * d.q[0]![s]! + c, -4 * d.q[1]![s]! - c);
    }
    expect(Number(/mean \|q̈\| = ([\d.]+)/.exec(row('W1 dataset').result)![1])).toBeCloseTo(
      sum / d.n,
      5,
    );
  });

  it('W2: every path finds a minimum at a grid node next to (4, 1)', () => {
    for (const w of [
      'W2 landscape, general, fused (2',
      'W2 landscape, general, fused (1',
      'W2 landscape, general, tfjs tensors (1',
      'W2 landscape, exact',
    ]) {
      const [k, a] = /min at \(([\d.]+), ([\d.]+)\)/.exec(row(w).result)!.slice(1).map(Number);
      expect(Math.abs(k! - 4)).toBeLessThan(8 / 199);
      expect(Math.abs(a! - 1)).toBeLessThan(2 / 199);
    }
  });

  it('W3 and W4: the fused and tfjs routes agree with the float64 Gram routes', () => {
    for (const opt of ['gd', 'adam']) {
      const gram = row(`W3 exact fit, ${opt}, gram`);
      for (const kernel of ['fused', 'tfjs tensors']) {
        const graph = row(`W3 exact fit, ${opt}, graph (${kernel})`);
        expect(Math.abs(num(graph, 'k') - num(gram, 'k'))).toBeLessThan(1e-3);
        expect(Math.abs(num(graph, 'alpha') - num(gram, 'alpha'))).toBeLessThan(1e-3);
      }
    }
    for (const kernel of ['fused', 'tfjs tensors'])
      expect(
        num(row(`W4 polynomial fit, adam, design (${kernel})`), 'loss') /
          num(row('W4 polynomial fit, adam, gram'), 'loss'),
      ).toBeCloseTo(1, 3);
  });
});

describe('which route wins', () => {
  it('groups the rows of one computation and names the fastest with its margin', async () => {
    const { winners, computationOf } = await import('../../src-main/cli/bench');
    expect(computationOf('W2 landscape, general, fused (2 workers)')).toBe('W2 landscape, general');
    expect(computationOf('W3 exact fit, adam, graph (tfjs tensors)')).toBe(
      'W3 exact fit, adam, graph',
    );
    const base = { n: 9042, drawn: 10000, precision: 'float32', minMs: 0, maxMs: 0, result: '' };
    const lines = winners([
      {
        ...base,
        workload: 'W3 exact fit, adam, graph (fused)',
        backend: 'wasm-simd',
        medianMs: 0.02,
        unit: 'ms/step',
      },
      {
        ...base,
        workload: 'W3 exact fit, adam, graph (tfjs tensors)',
        backend: 'tensorflow',
        medianMs: 0.3,
        unit: 'ms/step',
      },
      {
        ...base,
        workload: 'W3 exact fit, adam, graph (tfjs tensors)',
        backend: 'wasm',
        medianMs: 0.6,
        unit: 'ms/step',
      },
      {
        ...base,
        workload: 'W3 exact fit, adam, gram',
        backend: 'js',
        medianMs: 0.001,
        unit: 'ms/step',
      },
    ]);
    expect(lines).toEqual([
      'fastest for W3 exact fit, adam, graph n=9042: W3 exact fit, adam, graph (fused) on wasm-simd (0.0200 ms/step; 30.0× W3 exact fit, adam, graph (tfjs tensors) on wasm)',
    ]);
  });
});
