import type { LibrarySpec } from '../../../src-shared/dto/discovery';
import { EngineError } from '../errors';
import { exprKey, type Expr } from '../expression/ir';
import { parseExpression } from '../expression/parse';

/** A candidate term φ(q, q̇) of a Lagrangian L = Σ θ_i φ_i. */
export interface LibraryTerm {
  /** The term in mathjs syntax, e.g. "qd0^2" or "1/abs(q0 - q1)"; also its display name. */
  readonly name: string;
  readonly expr: Expr;
}

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

/**
 * The most terms a library may have: derivation, the regression's Gram matrix and the path grow
 * with it (500 terms on 8 coordinates derive in seconds; 13 000 took minutes).
 */
export const MAX_LIBRARY_TERMS = 500;

/** The texts of a library's terms, block by block, in a stable order. */
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
  if (texts.length > MAX_LIBRARY_TERMS)
    throw new EngineError(
      'too-complex',
      `The library has ${texts.length} terms; the limit is ${MAX_LIBRARY_TERMS}: use fewer blocks or a lower polynomial order`,
    );
  return texts;
}

/** Parse a term; a term that is not an expression in q and q̇ is named in the error. */
export function parseTerm(text: string, variables: Variables): Expr {
  try {
    return parseExpression(text, [...variables.coordinates, ...variables.velocities]);
  } catch (err) {
    throw new EngineError(
      'invalid-model',
      `The library term "${text}" is not valid: ${(err as Error).message}`,
    );
  }
}

/** The library's terms, parsed, each once (a custom term equal to a block's term is dropped). */
export function buildLibrary(spec: LibrarySpec, variables: Variables): LibraryTerm[] {
  const seen = new Set<string>();
  const terms: LibraryTerm[] = [];
  for (const name of libraryTexts(spec, variables)) {
    const expr = parseTerm(name, variables);
    const key = exprKey(expr);
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push({ name, expr });
  }
  if (!terms.length) throw new EngineError('invalid-model', 'The library has no terms');
  return terms;
}

/** Index of the term equal to `text` (compared as parsed expressions), or an error. */
export function findTerm(terms: readonly LibraryTerm[], text: string, variables: Variables) {
  const key = exprKey(parseTerm(text, variables));
  const index = terms.findIndex((t) => exprKey(t.expr) === key);
  if (index < 0)
    throw new EngineError(
      'invalid-model',
      `The normalisation term "${text}" is not in the library: add it (e.g. as a custom term)`,
    );
  return index;
}
