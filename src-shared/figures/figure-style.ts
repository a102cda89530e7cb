/*
 * Figure styles: one option builder, several looks. A style gives the figure's size in inches and
 * its fonts in points (96 px per inch inside the SVG, as CSS does); exports convert at the chosen
 * DPI, so a 3.4 in `paper` figure is 1020 px wide at 300 dpi and 3.4 in wide in a PDF.
 */
import type { EChartsOption } from 'echarts';
import { COLOUR_BAR_ID } from '../charts/colour-bar';
import { resizedDots } from '../charts/dots-series';

export type FigureStyleName = 'screen' | 'paper' | 'paper-wide' | 'slides';

export interface FigureStyle {
  readonly name: FigureStyleName;
  readonly widthIn: number;
  readonly heightIn: number;
  /** A family bundled with the app (dejavu-fonts-ttf), so every machine draws the same glyphs. */
  readonly fontFamily: 'DejaVu Sans' | 'DejaVu Serif';
  readonly fontPt: number;
  /** Paper figures carry no title: the caption does. */
  readonly titles: boolean;
  readonly lineWidthPt: number;
}

export const FIGURE_STYLES: Readonly<Record<FigureStyleName, FigureStyle>> = {
  screen: {
    name: 'screen',
    widthIn: 800 / 96,
    heightIn: 560 / 96,
    fontFamily: 'DejaVu Sans',
    fontPt: 9.75,
    titles: true,
    lineWidthPt: 1.5,
  },
  // One journal column (APS, Elsevier: 3.4 in), 8 pt serif, thin lines.
  paper: {
    name: 'paper',
    widthIn: 3.4,
    heightIn: 2.6,
    fontFamily: 'DejaVu Serif',
    fontPt: 8,
    titles: false,
    lineWidthPt: 0.75,
  },
  // Two columns (7.0 in), 9 pt.
  'paper-wide': {
    name: 'paper-wide',
    widthIn: 7.0,
    heightIn: 3.6,
    fontFamily: 'DejaVu Serif',
    fontPt: 9,
    titles: false,
    lineWidthPt: 1,
  },
  slides: {
    name: 'slides',
    widthIn: 10,
    heightIn: 5.625,
    fontFamily: 'DejaVu Sans',
    fontPt: 16,
    titles: true,
    lineWidthPt: 2.5,
  },
};

export const FIGURE_FORMATS = ['svg', 'png', 'pdf', 'csv'] as const;
export type FigureFormat = (typeof FIGURE_FORMATS)[number];

export const FIGURE_STYLE_NAMES = Object.keys(FIGURE_STYLES) as FigureStyleName[];

/** Points to SVG/CSS pixels (1 pt = 1/72 in, 1 px = 1/96 in). */
export const ptToPx = (pt: number) => (pt * 96) / 72;

/** The figure's size in SVG pixels (96 per inch). */
export function styleSizePx(style: FigureStyle): { width: number; height: number } {
  return { width: style.widthIn * 96, height: style.heightIn * 96 };
}

/** The builders' own font size (px): margins and gaps scale from it. */
const BUILDER_FONT_PX = 13;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const each = (v: unknown, f: (o: Obj) => Obj): unknown =>
  Array.isArray(v) ? v.map((x: unknown) => (isObj(x) ? f(x) : x)) : isObj(v) ? f(v) : v;
const scaled = (v: unknown, k: number) => (typeof v === 'number' ? Math.round(v * k) : v);

/**
 * An option in a style: fonts in the style's family and size, margins and gaps scaled with the
 * font, titles dropped when the style has none (the space they took given back), line widths in
 * points. The builders stay style-free; every export goes through here.
 */
export function styledOption(option: EChartsOption, style: FigureStyle): EChartsOption {
  const fontPx = ptToPx(style.fontPt);
  const k = fontPx / BUILDER_FONT_PX;
  const titleSpace = style.titles ? 0 : 28; // the builders leave ~28 px for a title
  const text = (t: unknown) => ({
    ...(isObj(t) ? t : {}),
    fontFamily: style.fontFamily,
    fontSize: fontPx,
  });
  // x labels sit a little lower than ECharts' 8 px, below the lowest y label's glyphs (whose
  // lower half hangs under the plot when its tick is near the bottom)
  const xLabelMargin = Math.max(8, Math.round(0.85 * fontPx));
  const axis = (a: Obj, which: 'x' | 'y'): Obj => ({
    ...a,
    nameGap:
      which === 'x' && typeof a.nameGap === 'number'
        ? Math.round(a.nameGap * k) + xLabelMargin - 8
        : scaled(a.nameGap, k),
    nameTextStyle: text(a.nameTextStyle),
    // a narrow figure has room for fewer labels: drop the ones that would overlap
    axisLabel: {
      ...(isObj(a.axisLabel) ? a.axisLabel : {}),
      ...text(undefined),
      hideOverlap: true,
      // the first x label starts at the corner instead of centring on it (where it met the
      // lowest y label); the last one ends at the plot's edge
      ...(which === 'x'
        ? { alignMinLabel: 'left', alignMaxLabel: 'right', margin: xLabelMargin }
        : {}),
    },
  });
  const o = option as Obj;
  const lineWidthPx = ptToPx(style.lineWidthPt);
  // Room for the legend's rows above the plot, so entries never cover data.
  const legendTop = style.titles ? Math.round(30 * k) : 0;
  // ECharts' legend rows: the taller of icon and text, then the item gap; 5 px padding around.
  const legendGap = Math.round(1.2 * fontPx);
  const rowHeight = Math.round(1.25 * fontPx) + legendGap;
  const legendBottom = legendTop + legendRows(o, style, fontPx) * rowHeight + 10;
  return {
    ...o,
    textStyle: text(o.textStyle),
    title: style.titles
      ? each(o.title, (t) => ({ ...t, textStyle: { ...text(t.textStyle), fontWeight: 'bold' } }))
      : undefined,
    legend: each(o.legend, (l) => ({
      ...l,
      top: legendTop,
      itemGap: legendGap,
      itemWidth: Math.round(1.8 * fontPx),
      itemHeight: Math.round(0.9 * fontPx),
      // an entry longer than the figure (a long run name) ends in "…": the caption has it whole
      textStyle: {
        ...text(l.textStyle),
        width: Math.floor(styleSizePx(style).width - 2.2 * fontPx - 20),
        overflow: 'truncate',
      },
    })),
    grid: each(o.grid, (g) => ({
      ...g,
      left: scaled(g.left, k),
      right: scaled(g.right, k),
      top:
        typeof g.top === 'number'
          ? Math.max(Math.round(Math.max(8, g.top - titleSpace) * k), o.legend ? legendBottom : 0)
          : g.top,
      bottom: scaled(g.bottom, k),
      width: scaled(g.width, k),
    })),
    xAxis: each(o.xAxis, (a) => axis(a, 'x')),
    yAxis: each(o.yAxis, (a) => axis(a, 'y')),
    series: each(
      o.series,
      (s) =>
        resizedDots(s, k) ??
        (s.type === 'line'
          ? { ...s, lineStyle: { ...(isObj(s.lineStyle) ? s.lineStyle : {}), width: lineWidthPx } }
          : s.type === 'scatter'
            ? { ...s, symbolSize: scaled(s.symbolSize ?? 10, k) }
            : s),
    ),
  } as EChartsOption;
}

/** How many rows the legend's entries take across the figure (text ≈ 0.55 em per character). */
function legendRows(o: Obj, style: FigureStyle, fontPx: number): number {
  const legend = (Array.isArray(o.legend) ? o.legend[0] : o.legend) as Obj | undefined;
  if (!legend || legend.show === false) return 0;
  const series = (Array.isArray(o.series) ? o.series : [o.series]) as Array<Obj | undefined>;
  const names = (
    Array.isArray(legend.data)
      ? (legend.data as unknown[]).map((d) => (isObj(d) ? d.name : d))
      : series.filter((s) => s && s.id !== COLOUR_BAR_ID).map((s) => s!.name)
  ).filter((n): n is string => typeof n === 'string' && n !== '');
  const available = styleSizePx(style).width - 10;
  let rows = names.length ? 1 : 0;
  let used = 0;
  for (const name of names) {
    const w = 1.8 * fontPx + 5 + 0.55 * fontPx * name.length + 1.2 * fontPx;
    if (used > 0 && used + w > available) {
      rows++;
      used = 0;
    }
    used += w;
  }
  return rows;
}
