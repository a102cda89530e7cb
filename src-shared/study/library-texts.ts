import type { LibrarySpec } from '../dto/discovery';

/*
 * A discovery library's terms as text, block by block (pure: the run name counts them, the
 * engine parses and derives them).
 */

/** The coordinate and velocity names a library is built over. */
export interface Variables {
  readonly coordinates: readonly string[];
  readonly velocities: readonly string[];
}

const pairs = (d: number) =>
  Array.from({ length: d }, (_, i) => Array.from({ length: d - i - 1 }, (_, k) => [i, i + k + 1]))
    .flat()
    .map(([i, j]) => [i!, j!] as const);

/** Monomials q_0^a0 · … of total degree `degree`, as exponent vectors in lexicographic order. */
function exponents(d: number, degree: number): number[][] {
  if (d === 1) return [[degree]];
  const out: number[][] = [];
  for (let a = degree; a >= 0; a--)
    for (const rest of exponents(d - 1, degree - a)) out.push([a, ...rest]);
  return out;
}

function monomial(q: readonly string[], powers: readonly number[]): string {
  return powers
    .map((p, i) => (p === 0 ? '' : p === 1 ? q[i]! : `${q[i]}^${p}`))
    .filter(Boolean)
    .join('*');
}

/** The texts of a library's terms, block by block, in a stable order. */
/* eslint-disable-next-line complexity --
   a table: one branch per library block the user can switch on */
export function libraryTexts(spec: LibrarySpec, { coordinates: q, velocities: v }: Variables) {
  const d = q.length;
  const texts: string[] = [];
  if (spec.kinetic) {
    for (let i = 0; i < d; i++) texts.push(`${v[i]}^2`);
    for (const [i, j] of pairs(d)) texts.push(`${v[i]}*${v[j]}`);
  }
  if (spec.kineticCoupled) {
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) texts.push(`${q[i]}^2*${v[j]}^2`);
    for (const [i, j] of pairs(d)) texts.push(`cos(${q[i]} - ${q[j]})*${v[i]}*${v[j]}`);
  }
  for (let degree = 1; degree <= (spec.polynomialOrder ?? 0); degree++)
    for (const powers of exponents(d, degree)) texts.push(monomial(q, powers));
  for (const kind of spec.pairwise ?? [])
    for (const [i, j] of pairs(d)) {
      const r = `abs(${q[i]} - ${q[j]})`;
      texts.push(kind === 'inverse' ? `1/${r}` : kind === 'abs' ? r : `log(${r})`);
    }
  if (spec.trigonometric) for (let i = 0; i < d; i++) texts.push(`cos(${q[i]})`, `sin(${q[i]})`);
  if (spec.coordinateTrig)
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++)
        if (i !== j) texts.push(`${q[i]}*cos(${q[j]})`, `${q[i]}*sin(${q[j]})`);
  if (spec.kineticTrig) {
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) texts.push(`sin(${q[i]})^2*${v[j]}^2`, `cos(${q[i]})*${v[j]}^2`);
    for (const [i, j] of pairs(d)) texts.push(`cos(${q[i]} - ${q[j]})*${v[i]}*${v[j]}`);
  }
  if (spec.central?.length) {
    const r2 = q.map((c) => `${c}^2`).join(' + ');
    for (const kind of spec.central)
      texts.push(
        kind === 'inverse' ? `1/sqrt(${r2})` : kind === 'square' ? r2 : `log(sqrt(${r2}))`,
      );
  }
  texts.push(...(spec.custom ?? []));
  return texts;
}
