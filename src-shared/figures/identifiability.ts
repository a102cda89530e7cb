import type { StudyResults } from '../dto/results';

/**
 * The direction in parameter space the loss does not depend on, when the fit is rank deficient
 * (the Hessian's sloppy eigenvalue is zero up to rounding, or the exact solve lost rank): its
 * dominant parameter, and the direction as a combination ("c", or "0.707 k − 0.707 alpha").
 */
export function unidentifiableDirection(
  r: StudyResults,
): { parameter: string; direction: string } | null {
  const id = r.identifiability;
  const names = r.model.parameterNames;
  const deficient =
    (r.exact && r.exact.rank < names.length) || (id && !(id.conditionNumber < 1e14));
  if (!deficient || !id) return null;
  const v = id.sloppyDirection;
  const k = v.reduce((best, x, i) => (Math.abs(x) > Math.abs(v[best]!) ? i : best), 0);
  const sign = Math.sign(v[k]!) || 1;
  const terms = v
    .map((x, i) => ({ x: x * sign, name: names[i] ?? `θ${i}` }))
    .filter((t) => Math.abs(t.x) >= 0.01);
  const direction =
    terms.length === 1
      ? terms[0]!.name
      : terms
          .map((t, i) => `${t.x < 0 ? '− ' : i ? '+ ' : ''}${Math.abs(t.x).toFixed(3)} ${t.name}`)
          .join(' ');
  return { parameter: names[k] ?? `θ${k}`, direction };
}
