import type { ApiContract } from '../../src-shared/api/contract';
import type { SamplingWindow } from '../../src-shared/dto/sampling';
import { accelerationsF64, equationsOfMotion } from '../engine/dynamics';
import { sampleWindow } from '../engine/sampling';
import { parseSystem, type SystemDefinition } from '../engine/systems/system';

type WindowCheck = ApiContract['sampling:check']['response'];

/** Probe points per check: enough to find a window mostly outside the domain in milliseconds. */
export const WINDOW_PROBES = 256;

/**
 * q̈ of the true system at probe points of a window (a fixed draw, the window's own bands and
 * half-planes applied): where it is not finite the dataset would be refused ('not-finite'), so
 * the form says so at the window before a run starts. Points where only the mass matrix is
 * singular are not counted: the dataset drops those.
 */
export function checkWindow(
  system: SystemDefinition,
  window: SamplingWindow,
  trueParameters?: Readonly<Record<string, number>>,
): WindowCheck {
  const parsed = parseSystem(system);
  const values = { ...parsed.parameterValues, ...(trueParameters ?? {}) };
  const eom = equationsOfMotion(parsed.lagrangian, system.coordinates, system.velocities, values);
  const s = sampleWindow({ window, count: WINDOW_PROBES, seed: 20250514, countMode: 'drawn' });
  const { accelerations, singularMask } = accelerationsF64(eom, s.q, s.qd);
  const n = s.q[0]?.length ?? 0;
  let undefinedAt = 0;
  let first = -1;
  for (let p = 0; p < n; p++) {
    if (singularMask?.[p]) continue;
    if (accelerations.every((c) => Number.isFinite(c[p]!))) continue;
    undefinedAt++;
    if (first < 0) first = p;
  }
  return {
    probes: n,
    undefinedAt,
    ...(first >= 0
      ? { example: { q: s.q.map((c) => c[first]!), qd: s.qd.map((c) => c[first]!) } }
      : {}),
  };
}
