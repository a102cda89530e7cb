import type { ApiContract } from '../api/contract';

/** The form's message for a window probed against L ('' when q̈ is finite at every probe). */
export function windowProblemText(
  check: ApiContract['sampling:check']['response'],
  coordinates: readonly string[],
): string {
  if (check.undefinedAt === 0) return '';
  const at = check.example
    ? ` (e.g. at ${coordinates.map((c, i) => `${c} = ${check.example!.q[i]!.toPrecision(3)}`).join(', ')})`
    : '';
  return `q̈ is not finite at ${check.undefinedAt} of ${check.probes} probe points${at}: the window leaves the domain of L; narrow it or add an exclusion band`;
}
