// A measured run's data is drawn as measured: run:data returns the imported points themselves
// (the positions and q̈ of the CSV rows), not the true system's field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compute } from '../../src-main/study/compute-requests';
import { originExactStudy } from '../engine/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'lagrange-run-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run:data', () => {
  it('returns the imported points of a measured study, row for row', async () => {
    // a 2D isotropic oscillator sampled at known states: q̈ = −4q
    const rows = Array.from({ length: 40 }, (_, i) => {
      const q0 = Math.cos(i) * 0.8,
        q1 = Math.sin(2 * i) * 0.6;
      return [q0, q1, 0.1 * i, -0.05 * i, -4 * q0, -4 * q1];
    });
    const file = join(dir, 'samples.csv');
    writeFileSync(file, ['q0,q1,qd0,qd1,a0,a1', ...rows.map((r) => r.join(','))].join('\n'));
    const base = originExactStudy(10);
    const study = {
      ...base,
      measured: {
        file,
        kind: 'samples' as const,
        q: ['q0', 'q1'],
        qd: ['qd0', 'qd1'],
        qdd: ['a0', 'a1'],
      },
    };
    const d = await compute('run:data', { study });
    expect(d.measured).toBe(true);
    expect(d.n).toBe(40);
    expect(d.q[0]).toEqual(rows.map((r) => r[0]));
    expect(d.q[1]).toEqual(rows.map((r) => r[1]));
    // as written in the file (the CSV has no −0)
    expect(d.qdd[1]).toEqual(rows.map((r) => Number(String(r[5]))));
    // thinned evenly when asked for fewer points
    const thin = await compute('run:data', { study, maxPoints: 10 });
    expect(thin.shown).toBe(10);
    expect(thin.q[0]).toEqual(rows.filter((_, i) => i % 4 === 0).map((r) => r[0]));
  });
});
