import { expect, it } from 'vitest';
import { compute } from '../../src-main/study/compute-requests';
import { chargeInField } from '../engine/trust-systems';

it('run:data answers for a discovery run: its L predicts the data’s q̈ (issue 32.13)', async () => {
  // the charge in a field: L = ½|q̇|² + q0·q̇1 − q0² − q1² in library coefficients, hand-derived
  const study = chargeInField.study(0, 1, 300);
  if (study.model.family !== 'discovery') throw new Error('not a discovery study');
  const { buildLibrary } = await import('../../src-main/engine/discovery/library');
  const names = buildLibrary(study.model.library, study.system).map((t) => t.name);
  const parameters = names.map((n) => chargeInField.truth[n] ?? 0);
  const r = await compute('run:data', { study, parameters, maxPoints: 100 });
  expect(r.shown).toBe(100);
  let worst = 0;
  for (let j = 0; j < 2; j++)
    r.predicted![j]!.forEach((v, s) => (worst = Math.max(worst, Math.abs(v - r.qdd[j]![s]!))));
  expect(worst).toBeLessThan(1e-12);
});
