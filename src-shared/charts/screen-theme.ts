/*
 * Chart options for the screen's dark theme. The builders draw for paper (dark text on white);
 * on the dark panel the same text would be unreadable, so the screen copy of an option gets light
 * text, axes and grid lines. Exports always use the paper option.
 */
import type { EChartsOption } from 'echarts';

export type ScreenTheme = 'light' | 'dark';

/** The dark panel's colours (App.svelte's --panel, --fg, --muted, --line). */
export const DARK = { panel: '#1f242c', text: '#e4e8ee', muted: '#c3cad4', line: '#3b4350' };

const PAPER_TEXT = new Set(['#222', '#222222', '#333', '#333333', '#000', '#000000']);

/** The option as drawn on screen in `theme` (the light theme is the paper option itself). */
export function forScreenTheme(option: EChartsOption, theme: ScreenTheme): EChartsOption {
  if (theme === 'light') return option;
  const o = recolourText(option) as EChartsOption;
  const axis = (a: unknown) => {
    if (!a || typeof a !== 'object') return a;
    const x = a as Record<string, Record<string, unknown> | undefined>;
    return {
      ...x,
      axisLabel: { color: DARK.muted, ...x.axisLabel },
      nameTextStyle: { color: DARK.text, ...x.nameTextStyle },
      axisLine: { ...x.axisLine, lineStyle: { color: DARK.muted, ...lineStyle(x.axisLine) } },
      axisTick: { ...x.axisTick, lineStyle: { color: DARK.muted, ...lineStyle(x.axisTick) } },
      splitLine: { ...x.splitLine, lineStyle: { color: DARK.line, ...lineStyle(x.splitLine) } },
    };
  };
  const each = (v: unknown) => (Array.isArray(v) ? v.map(axis) : axis(v));
  return {
    ...o,
    textStyle: { color: DARK.text, ...(o.textStyle as object) },
    ...(o.xAxis ? { xAxis: each(o.xAxis) as EChartsOption['xAxis'] } : {}),
    ...(o.yAxis ? { yAxis: each(o.yAxis) as EChartsOption['yAxis'] } : {}),
    ...(o.legend ? { legend: withText(o.legend) as EChartsOption['legend'] } : {}),
    ...(o.visualMap ? { visualMap: withText(o.visualMap) as EChartsOption['visualMap'] } : {}),
  };
}

const lineStyle = (part: Record<string, unknown> | undefined) =>
  (part?.lineStyle ?? {}) as Record<string, unknown>;

/** Legends and colour bars: light text unless the builder chose a colour. */
function withText(v: unknown): unknown {
  const one = (x: unknown) =>
    x && typeof x === 'object'
      ? {
          ...x,
          textStyle: {
            color: DARK.text,
            ...((x as { textStyle?: object }).textStyle ?? {}),
          },
        }
      : x;
  return Array.isArray(v) ? v.map(one) : one(v);
}

/** Every paper-black text colour in the option becomes the dark theme's text colour. */
function recolourText(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => recolourText(x, key));
  if (!v || typeof v !== 'object') return v;
  if (ArrayBuffer.isView(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const textual = /text|label|title|name/i.test(key);
    out[k] =
      k === 'color' && textual && typeof x === 'string' && PAPER_TEXT.has(x.toLowerCase())
        ? DARK.text
        : recolourText(x, k === 'color' ? key : k);
  }
  return out;
}

/** WCAG 2 contrast ratio of two #rrggbb colours (≥ 4.5 reads as normal text). */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const h = hex.replace('#', '');
    const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
    const [r, g, bl] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255);
    const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(bl!);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
