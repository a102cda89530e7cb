/** Tick labels in scientific notation where a linear format would be unreadable. */
export function scientific(value: number): string {
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a >= 1e-2 && a < 1e4) return String(Number(value.toPrecision(4)));
  const [m, e] = value.toExponential(1).split('e');
  return `${m}e${Number(e)}`;
}

export const PUBLICATION_TEXT = {
  fontFamily: 'Helvetica, Arial, sans-serif',
  fontSize: 13,
  color: '#222',
};

/** The centred figure title every builder uses. */
export function chartTitle(text: string | undefined) {
  return text
    ? {
        text,
        left: 'center',
        top: 4,
        textStyle: { ...PUBLICATION_TEXT, fontSize: 14, fontWeight: 'bold' as const },
      }
    : undefined;
}

/** A number as text: fixed for ordinary magnitudes, exponential otherwise; ∞, −∞ and n/a. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toFixed(6) : v.toExponential(4);
}

/** A metric in a table, — when absent or not finite. */
export function formatMetric(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : formatNumber(v);
}

/** A coefficient: 0 for a term left out, otherwise as formatNumber. */
export const formatCoefficient = (v: number) => (v === 0 ? '0' : formatNumber(v));
