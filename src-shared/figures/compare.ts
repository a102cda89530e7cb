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

/**
 * A y-range that one diverged run cannot flatten: per run, the median of its values is a robust
 * level; the range spans the runs whose level is within `factor` of the median level (in log
 * space for positive data), padded by 5%. Runs outside are clipped and named, for a marker.
 */
export function robustRange(
  runs: ReadonlyArray<{ readonly label: string; readonly values: ArrayLike<number> }>,
  options: { log?: boolean; factor?: number } = {},
): { min: number; max: number; clipped: string[] } | null {
  const log = options.log ?? false;
  const factor = options.factor ?? 1e3;
  const finite = (r: (typeof runs)[number]) =>
    Array.from(r.values).filter((v) => Number.isFinite(v) && (!log || v > 0));
  const level = (vs: number[]) => {
    const s = [...vs].sort((a, b) => a - b);
    return s[s.length >> 1]!;
  };
  const withData = runs.map((r) => ({ r, vs: finite(r) })).filter((x) => x.vs.length);
  if (withData.length < 2) return null;
  const levels = withData.map((x) => Math.abs(level(x.vs)) || 1e-300);
  const typical = level(levels);
  const kept = withData.filter((_, i) => levels[i]! <= typical * factor);
  const clipped = withData.filter((x) => !kept.includes(x)).map((x) => x.r.label);
  if (!clipped.length) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const { vs } of kept)
    for (const v of vs) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  if (log) return { min: min / 1.5, max: max * 1.5, clipped };
  const pad = 0.05 * (max - min || Math.abs(max) || 1);
  return { min: min - pad, max: max + pad, clipped };
}

/** Compare's x axis: step, time since each run started, or wall time across the runs. */
export type CompareXAxis = 'step' | 'relative' | 'wall';

export interface TimedMetrics {
  readonly steps: readonly number[];
  /** Wall-clock ms per row, when stored. */
  readonly times?: readonly number[];
  /** When the run started (ISO), for runs without stored times. */
  readonly startedAt: string | null;
  /** Measured ms per step, for runs without stored times. */
  readonly msPerStep: number | null;
}

/** Wall-clock ms of each row: stored, or estimated from the start time and the step rate. */
function rowTimes(m: TimedMetrics): { times: number[]; estimated: boolean } | null {
  if (m.times && m.times.length === m.steps.length)
    return { times: [...m.times], estimated: false };
  const start = m.startedAt ? Date.parse(m.startedAt) : NaN;
  if (!Number.isFinite(start) || m.msPerStep === null) return null;
  return { times: m.steps.map((s) => start + s * m.msPerStep!), estimated: true };
}

/**
 * The x values of every run for the chosen axis, in seconds for the time axes (wall time counts
 * from the earliest start among the runs, so runs started later sit to the right), with the
 * axis name; `estimated` when some run has no stored times (step × its ms per step instead).
 */
export function compareXValues(
  runs: readonly TimedMetrics[],
  axis: CompareXAxis,
): { values: number[][]; name: string; estimated: boolean } {
  if (axis === 'step')
    return { values: runs.map((r) => [...r.steps]), name: 'step', estimated: false };
  const timed = runs.map(rowTimes);
  const estimated = timed.some((t) => t?.estimated);
  const origin = Math.min(...timed.map((t) => t?.times[0] ?? Infinity));
  const values = timed.map((t, i) => {
    if (!t) return runs[i]!.steps.map(() => NaN);
    const zero = axis === 'relative' ? t.times[0]! : origin;
    return t.times.map((ms) => (ms - zero) / 1000);
  });
  const name =
    axis === 'relative'
      ? 'time since the run started (s)'
      : `wall time since ${Number.isFinite(origin) ? new Date(origin).toISOString().slice(11, 19) : '—'} UTC (s)`;
  return { values, name: estimated ? `${name}, estimated` : name, estimated };
}

/**
 * A Compare chart's axes and legend: the chosen x axis (time axes in seconds with readable ticks,
 * not the step axis's whole numbers: a 0.4 s run had ticks at 0 and 1 only) and one legend row
 * that scrolls, so a dozen runs' entries never cover the plot.
 */
export function compareLayout<O extends Record<string, unknown>>(
  option: O,
  axis: CompareXAxis,
  xName: string,
): O {
  const x = option.xAxis as Record<string, unknown>;
  const legend = option.legend as Record<string, unknown> | undefined;
  const seconds = (v: number) => String(Number(v.toPrecision(4)));
  return {
    ...option,
    xAxis:
      axis === 'step'
        ? { ...x, name: xName }
        : {
            ...x,
            name: xName,
            minInterval: undefined,
            axisLabel: { ...(x.axisLabel as object), formatter: seconds, hideOverlap: true },
          },
    ...(legend ? { legend: { ...legend, type: 'scroll', left: 60, right: 30 } } : {}),
  };
}
