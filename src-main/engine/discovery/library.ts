import type { LibrarySpec } from '../../../src-shared/dto/discovery';
import { EngineError, throwIfStopped } from '../errors';
import { exprKey, type Expr } from '../expression/ir';
import { parseExpression } from '../expression/parse';
import {
  libraryTexts as sharedLibraryTexts,
  type Variables,
} from '../../../src-shared/study/library-texts';

/** A candidate term φ(q, q̇) of a Lagrangian L = Σ θ_i φ_i. */
export interface LibraryTerm {
  /** The term in mathjs syntax, e.g. "qd0^2" or "1/abs(q0 - q1)"; also its display name. */
  readonly name: string;
  readonly expr: Expr;
}

export type { Variables };

/**
 * The most terms a library may have: derivation, the regression and the path grow with it (a
 * 13 000-term library derived for minutes before any check for Cancel, issue 32.5).
 */
export const MAX_LIBRARY_TERMS = 500;

/** The library's texts, refused past the budget. */
export function libraryTexts(spec: LibrarySpec, variables: Variables): string[] {
  const texts = sharedLibraryTexts(spec, variables);
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
export function buildLibrary(
  spec: LibrarySpec,
  variables: Variables,
  shouldStop?: () => boolean,
): LibraryTerm[] {
  const seen = new Set<string>();
  const terms: LibraryTerm[] = [];
  for (const name of libraryTexts(spec, variables)) {
    throwIfStopped(shouldStop, 'Building the library');
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
