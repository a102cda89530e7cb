// The trajectory table of docs/discovery.md: `npx tsx test/engine/trajectory-table.ts` prints the
// interval coverage over 100 seeds of noisy elastic-pendulum trajectories (8 × 4 s, dt = 0.01 s)
// through Savitzky–Golay filters of several windows and orders, the selected support refitted
// with the intervals discovery reports (the plan of test/engine/trajectory-coverage.test.ts).
import {
  compileParts,
  evaluateParts,
} from '../../src-main/engine/discovery/euler-lagrange-columns';
import { buildLibrary } from '../../src-main/engine/discovery/library';
import { refitOnAccelerations } from '../../src-main/engine/discovery/output-refit';
import { importMeasured } from '../../src-main/engine/measured';
import { filterErrorMatters } from '../../src-main/engine/discovery/evidence';
import { elasticPendulum } from './trust-systems';
import { elasticPlan } from './trajectory-data';

const system = elasticPendulum.study(0).system;
const truth = elasticPendulum.truth;
const terms = buildLibrary({ custom: Object.keys(truth) }, system);
const program = compileParts(terms, system);
const norm = terms.findIndex((t) => t.name === 'qd0^2');
const settings: Array<[noise: number, window: number, order: number]> = [
  [0.01, 61, 6],
  [0.01, 31, 4],
  [0.01, 41, 4],
  [0.01, 81, 8],
  [0.002, 31, 4],
  [0.05, 101, 6],
];
console.log(
  '| noise on q | window | order | coverage (i.i.d. SE) | coverage (window-correlated SE) | largest mean z | spread of z | filter warning (seeds) |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const [noise, window, order] of settings) {
  const z: number[][] = [[], []];
  const perTerm = new Map<string, number[]>();
  let warned = 0;
  for (let seed = 1; seed <= 100; seed++) {
    const csv = trajectoryCsvFor(noise, seed);
    const { samples } = importMeasured(csv, {
      kind: 'trajectory',
      time: 't',
      coordinates: ['q0', 'q1'],
      window,
      order,
    });
    const parts = evaluateParts(program, terms.length, samples, system);
    const start = terms.map((t, i) => truth[t.name]! * (i === norm ? 1 : 1.05));
    [undefined, samples.correlation].forEach((correlation, k) => {
      const fit = refitOnAccelerations(parts, samples.qdd, start, norm, correlation);
      if (k === 1 && samples.filterCheck) {
        // discovery's filter check: the same refit on the data filtered two orders higher
        const check = samples.filterCheck;
        const other = refitOnAccelerations(
          evaluateParts(program, terms.length, check, system),
          check.qdd,
          fit.coefficients,
          norm,
          samples.correlation,
        );
        const fires = terms.some((_, i) => {
          if (i === norm) return false;
          const se = fit.standardErrors[i]!;
          const move = Math.abs(other.coefficients[i]! - fit.coefficients[i]!);
          const spread = Math.sqrt(
            Math.max(other.standardErrors[i]! ** 2 - se ** 2, 0.01 * se ** 2),
          );
          return filterErrorMatters(move / se, move / spread);
        });
        if (fires) warned++;
      }
      terms.forEach((t, i) => {
        if (i === norm) return;
        const e = (fit.coefficients[i]! - truth[t.name]!) / fit.standardErrors[i]!;
        z[k]!.push(e);
        if (k === 1) perTerm.set(t.name, [...(perTerm.get(t.name) ?? []), e]);
      });
    });
  }
  const cover = (v: number[]) =>
    `${((100 * v.filter((e) => Math.abs(e) <= 1.96).length) / v.length).toFixed(1)} %`;
  const stats = [...perTerm.values()].map((v) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return { mean, sd: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) };
  });
  const bias = Math.max(...stats.map((s) => Math.abs(s.mean)));
  const sds = stats.map((s) => s.sd);
  console.log(
    `| ${noise * 100} % | ${window} | ${order} | ${cover(z[0]!)} | ${cover(z[1]!)} | ${bias.toFixed(2)} | ${Math.min(...sds).toFixed(2)}–${Math.max(...sds).toFixed(2)} | ${warned} % |`,
  );
}

function trajectoryCsvFor(noise: number, seed: number) {
  return elasticPlan.csv({ ...elasticPlan.plan, noise }, seed);
}
