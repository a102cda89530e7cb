import { formatCoefficient } from '../../src-shared/charts/format';
import type { DiscoveryResults } from '../../src-shared/dto/discovery';

/** The discovered Lagrangian, its terms with uncertainties, and what was set aside and why. */
export function discoveryLines(d: DiscoveryResults): string[] {
  const chosen = d.path[d.selected]!;
  const lines = [
    `discovered: L = ${d.lagrangian}`,
    `selection: ${chosen.support.length} of ${d.terms.length} terms by ${d.selection} (${d.solver}, ${d.path.length} candidates); q̈ error ${formatCoefficient(chosen.validationError)} on validation, ${formatCoefficient(chosen.trainingError)} on training; BIC ${formatCoefficient(chosen.bic)}`,
    ...chosen.support.map((i) => {
      const term = d.terms[i]!;
      const se = chosen.standardErrors[i]!;
      const fixed =
        term.status === 'normalisation' ? ' (normalisation, fixed)' : ` ± ${formatCoefficient(se)}`;
      return `  ${term.name.padEnd(28)} ${formatCoefficient(chosen.coefficients[i]!).padStart(14)}${fixed}`;
    }),
  ];
  for (const t of d.terms)
    if (t.status === 'no-effect' || t.status === 'dependent')
      lines.push(`${t.status}: ${t.name} — ${t.note ?? ''}`);
  return lines;
}
