/*
 * JSON has no Infinity or NaN (JSON.stringify writes null). Persisted results tag them as the
 * strings "Infinity", "-Infinity" and "NaN" so that a condition number of ∞ survives a save;
 * older projects stored null, which reads back as NaN ("not available").
 */
import { z } from 'zod';

const TAGS = ['Infinity', '-Infinity', 'NaN'] as const;

/** A number that may be ±∞ or NaN in storage. */
export const finiteOrNot = z.union([
  z.number(),
  z.enum(TAGS).transform((tag) => Number(tag)),
  z.null().transform(() => Number.NaN),
]);

/** JSON.stringify replacer that tags non-finite numbers instead of writing null. */
export function tagNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

/** JSON text with non-finite numbers tagged (see `tagNonFinite`). */
export function toStoredJson(value: unknown): string {
  return JSON.stringify(value, tagNonFinite);
}
