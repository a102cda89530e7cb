// The tables of docs/discovery.md ("Systems nobody tested"): `npx tsx test/engine/trust-table.ts`
// prints one row per system and noise level (seed 7, 2000 training and 1000 validation points),
// and the interval coverage over 100 seeds at 1 % noise (400 points each).
import { discover } from '../../src-main/engine/discovery/discover';
import { noiseMeanSquare } from '../../src-main/study/discovery-study';
import { fitData, sampledData } from '../../src-main/study/phases/data';
import type { StudySpec } from '../../src-shared/study/study-schema';
import * as systems from './trust-systems';

function run(study: StudySpec) {
  if (study.model.family !== 'discovery') throw new Error('not a discovery study');
  const training = fitData(study);
  const validation = sampledData(study, study.validation!.sampling);
  const noise = { training: noiseMeanSquare(study.sampling, training.qdd), validation: 0 };
  return discover({ spec: study.model, variables: study.system, training, validation, noise });
}

const rows: string[] = [
  '| system | noise | support found | admissible | ambiguity dim. | largest error / SE | largest relative error |',
  '|---|---|---|---|---|---|---|',
];
for (const [name, system] of Object.entries(systems)) {
  for (const noise of [0, 0.01, 0.05]) {
    const r = run(system.study(noise, 7));
    const chosen = r.path[r.selected]!;
    const ev = r.evidence!;
    const found = chosen.support.map((i) => r.terms[i]!.name).sort();
    const exact = found.join() === Object.keys(system.truth).sort().join();
    let worstZ = 0;
    let worstRel = 0;
    for (const [term, truth] of Object.entries(system.truth)) {
      const i = r.terms.findIndex((t) => t.name === term);
      const value = ev.estimate.coefficients[i]!;
      const se = ev.estimate.standardErrors[i]!;
      if (se > 0) worstZ = Math.max(worstZ, Math.abs(value - truth) / se);
      worstRel = Math.max(worstRel, Math.abs(value - truth) / Math.abs(truth));
    }
    rows.push(
      `| ${name} | ${noise * 100} % | ${exact ? 'exact' : found.join(' ')} | ${ev.admissible ? 'yes' : 'NO'} | ${ev.ambiguity.dimension} | ${noise ? worstZ.toFixed(2) : '—'} | ${worstRel.toExponential(1)} |`,
    );
  }
}
console.log(rows.join('\n'));

const coverage: string[] = [
  '',
  '| system | coefficients × seeds | inside 95 % interval | largest mean z |',
  '|---|---|---|---|',
];
for (const [name, system] of Object.entries(systems)) {
  let inside = 0;
  let total = 0;
  const z: Record<string, number[]> = {};
  for (let seed = 1; seed <= 100; seed++) {
    const r = run(system.study(0.01, seed, 400));
    const ev = r.evidence!;
    for (const [term, truth] of Object.entries(system.truth)) {
      const i = r.terms.findIndex((t) => t.name === term);
      const se = ev.estimate.standardErrors[i]!;
      if (!(se > 0)) continue;
      const e = (ev.estimate.coefficients[i]! - truth) / se;
      total++;
      if (Math.abs(e) <= 1.96) inside++;
      (z[term] ??= []).push(e);
    }
  }
  const bias = Math.max(
    ...Object.values(z).map((v) => Math.abs(v.reduce((a, b) => a + b, 0) / v.length)),
  );
  coverage.push(
    `| ${name} | ${total} | ${((100 * inside) / total).toFixed(1)} % | ${bias.toFixed(2)} |`,
  );
}
console.log(coverage.join('\n'));
