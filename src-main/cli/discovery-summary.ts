import type { DiscoveryResults } from '../../src-shared/dto/discovery';

const fmt = (v: number) =>
  v === 0 ? '0' : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toFixed(6) : v.toExponential(4);

/** The discovered Lagrangian, its terms with uncertainties, and what was set aside and why. */
export function discoveryLines(d: DiscoveryResults): string[] {
  const chosen = d.path[d.selected]!;
  const lines = [
    `discovered: L = ${d.lagrangian}`,
    `selection: ${chosen.support.length} of ${d.terms.length} terms by ${d.selection} (${d.solver}, ${d.path.length} candidates); q̈ error ${fmt(chosen.validationError)} on validation, ${fmt(chosen.trainingError)} on training; BIC ${fmt(chosen.bic)}`,
    ...chosen.support.map((i) => {
      const term = d.terms[i]!;
      const se = chosen.standardErrors[i]!;
      const fixed = term.status === 'normalisation' ? ' (normalisation, fixed)' : ` ± ${fmt(se)}`;
      return `  ${term.name.padEnd(28)} ${fmt(chosen.coefficients[i]!).padStart(14)}${fixed}`;
    }),
  ];
  for (const t of d.terms)
    if (t.status === 'no-effect' || t.status === 'dependent')
      lines.push(`${t.status}: ${t.name} — ${t.note ?? ''}`);
  return lines;
}
