/**
 * Exponential moving average with Adam-style debiasing: s_t = β s_{t−1} + (1 − β) x_t, ŝ_t = s_t/(1
 * − β^t).
 */
export function emaSmooth(values: ArrayLike<number>, beta: number, debias = true): number[] {
  const out: number[] = [];
  let s = 0;
  for (let t = 0; t < values.length; t++) {
    s = beta * s + (1 - beta) * values[t]!;
    out.push(debias ? s / (1 - Math.pow(beta, t + 1)) : s);
  }
  return out;
}

/** A nested config as dotted paths → display strings. */
export function flattenConfig(
  value: unknown,
  prefix = '',
  out: Record<string, string> = {},
): Record<string, string> {
  if (value === null || typeof value !== 'object') {
    out[prefix || '(value)'] = String(value);
    return out;
  }
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    out[prefix] = value.join(', ');
    return out;
  }
  for (const [k, v] of Object.entries(value)) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

/**
 * Rows of a configuration table over several runs; with differencesOnly, the rows where runs
 * differ.
 */
export function configTable(
  configs: readonly unknown[],
  differencesOnly: boolean,
): Array<{ key: string; values: string[] }> {
  const flat = configs.map((c) => flattenConfig(c));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
  return keys
    .map((key) => ({ key, values: flat.map((f) => f[key] ?? '—') }))
    .filter((row) => !differencesOnly || new Set(row.values).size > 1);
}
