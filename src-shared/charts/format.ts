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

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** 10ⁿ with a real superscript (10⁻³), for decade ticks. */
export function decadeLabel(n: number): string {
  return `10${[...String(n)].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

const GREEK: Record<string, string> = {
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ε',
  zeta: 'ζ',
  eta: 'η',
  theta: 'θ',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  nu: 'ν',
  xi: 'ξ',
  rho: 'ρ',
  sigma: 'σ',
  tau: 'τ',
  phi: 'φ',
  chi: 'χ',
  psi: 'ψ',
  omega: 'ω',
  Gamma: 'Γ',
  Delta: 'Δ',
  Theta: 'Θ',
  Lambda: 'Λ',
  Phi: 'Φ',
  Psi: 'Ψ',
  Omega: 'Ω',
};
const SUBSCRIPT = '₀₁₂₃₄₅₆₇₈₉';
const subscript = (digits: string) => [...digits].map((d) => SUBSCRIPT[Number(d)]).join('');

/**
 * A symbol's name as a physicist writes it: Greek names as letters (alpha → α, omega1 → ω₁),
 * coordinates with subscripts (q0 → q₀), velocities and accelerations dotted (qd0 → q̇₀,
 * qdd1 → q̈₁). Anything else is returned as it is.
 */
export function physicsLabel(name: string): string {
  const m = /^([A-Za-z]+?)(d{0,2})(\d*)$/.exec(name);
  if (m && m[1] === 'q') {
    const dots = m[2] === 'dd' ? '\u0308' : m[2] === 'd' ? '\u0307' : '';
    return `q${dots}${subscript(m[3]!)}`;
  }
  const g = /^([A-Za-z]+)(\d*)$/.exec(name);
  if (g && GREEK[g[1]!] && Object.hasOwn(GREEK, g[1]!)) return `${GREEK[g[1]!]}${subscript(g[2]!)}`;
  return name;
}

/**
 * Axis name and tick labels by offset, as matplotlib does, when the data span is tiny next to
 * their distance from 0 (a window 0.0002 wide around q₀ = 0.39685; an energy conserved to 1e-9):
 * the name says "q₀ + 0.3969", the ticks the small differences, never six equal long numbers.
 * Null when plain labels read well.
 */
export function offsetLabels(name: string, values: ArrayLike<number>) {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = hi - lo;
  const mid = (lo + hi) / 2;
  if (!(span > 0) || Math.abs(mid) < 100 * span) return null;
  const unit = 10 ** Math.floor(Math.log10(span));
  const offset = Math.round(mid / unit) * unit;
  const shown = Number(offset.toPrecision(12));
  const difference = (v: number) => {
    const d = Number((v - offset).toPrecision(3));
    return Math.abs(d) < unit * 1e-6 ? '0' : d.toExponential();
  };
  return {
    name: shown < 0 ? `${name} + ${-shown}` : `${name} − ${shown}`,
    splitNumber: 4,
    // the data's own ends are not round numbers: no labels there
    axisLabel: { formatter: difference, showMinLabel: false, showMaxLabel: false },
  };
}

/** A size in bytes as people read it: 812 B, 3.4 KiB, 12.3 MiB, 1.02 GiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${Number(v.toPrecision(3))} ${units[u]}`;
}
