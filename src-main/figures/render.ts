// Server-side figures: the UI's own option builders rendered with ECharts' SSR (SVG) in Node, and
// rasterised to PNG with resvg, so reports regenerate from scripts (npm run study -- … --figures
// DIR).
import { runMethod } from '../../src-shared/figures/run-method';
import { DEFAULT_COLOUR_MAP, type ColourMapName } from '../../src-shared/charts/colormap';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SafeFolder } from '../export/safe-folder';
import * as echarts from 'echarts';
import { registerFigureShapes } from '../../src-shared/charts/shapes';
import type { EChartsOption } from 'echarts';
import type { Bitmap } from '../../src-shared/charts/colormap';
import type { ImageSourceFactory } from '../../src-shared/charts/bitmap-series';
import { figureFileName, optionToCsv, stretchSvgImages } from '../../src-shared/charts/export';
import { fieldFigures, runFieldRequest, runFigures } from '../../src-shared/figures/run-figures';
import type { FieldResponse, RunDetail } from '../../src-shared/api/contract';

import { computeField } from '../study/fields';
import { withResolution } from '../../src-shared/charts/png-resolution';
import {
  FIGURE_STYLES,
  styledOption,
  styleSizePx,
  type FigureFormat,
  type FigureStyle,
} from '../../src-shared/figures/figure-style';
import { windowMask } from '../../src-shared/charts/window-mask';
import { bundledFontFiles } from './fonts';
import { useBundledTextMetrics } from './text-metrics';
import { svgToPdf } from './pdf';
import { encodePng } from './png';

/** Dense fields become embedded PNG data URLs in the SVG. */
export const nodeImageSource: ImageSourceFactory = (bitmap: Bitmap) =>
  `data:image/png;base64,${encodePng(bitmap.width, bitmap.height, bitmap.rgba).toString('base64')}`;

/** An option drawn as SVG in a style (its size in inches at 96 px per inch, its fonts). */
export function renderSvg(
  option: EChartsOption,
  style: FigureStyle = FIGURE_STYLES.screen,
): string {
  const { width, height } = styleSizePx(style);
  useBundledTextMetrics();
  registerFigureShapes(echarts);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ backgroundColor: '#ffffff', ...styledOption(option, style) });
    return stretchSvgImages(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/**
 * SVG → PNG at a DPI (96 DPI is 1 px per SVG unit), drawn with the bundled fonts only (the same
 * glyphs on every machine), with a pHYs chunk so the file opens at its size.
 */
export async function svgToPng(svg: string, dpi = 300): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const fonts = Object.values(bundledFontFiles()).flatMap((f) => [f.regular, f.bold]);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: dpi / 96 },
    background: '#ffffff',
    font: { loadSystemFonts: false, fontFiles: fonts, defaultFontFamily: 'DejaVu Sans' },
  });
  return Buffer.from(withResolution(resvg.render().asPng(), dpi));
}

export interface WrittenFigure {
  readonly kind: string;
  readonly caption: string;
  readonly files: string[];
}

export interface FigureExportOptions {
  readonly dpi?: number;
  readonly formats?: readonly FigureFormat[];
  readonly style?: FigureStyle;
  /** The colour map of landscapes, error maps and |q̈| (default viridis). */
  readonly colourMap?: ColourMapName;
  /** Called before each figure is drawn (the export child tells its parent). */
  readonly onFigure?: (run: RunDetail, kind: string) => void;
}

/**
 * Every figure of a stored run in the chosen formats and style, named after the run (id and
 * name) and the figure; never overwriting a file. A manifest (figure, caption, files) is added to
 * the folder's `figures.json`.
 */
export async function writeRunFigures(
  detail: RunDetail,
  dir: string,
  options: FigureExportOptions = {},
): Promise<WrittenFigure[]> {
  return SafeFolder.runAsync(dir, (out) => writeFiguresInto(detail, out, [], options));
}

/** writeRunFigures into a folder (`parts` below an export's SafeFolder). */
/* eslint-disable-next-line complexity --
   one guarded write per figure a run may have (fields, landscape, discovery, rollout) */
export async function writeFiguresInto(
  detail: RunDetail,
  out: SafeFolder,
  parts: readonly string[],
  options: FigureExportOptions = {},
): Promise<WrittenFigure[]> {
  out.folder(...parts);
  const formats = options.formats ?? ['svg', 'png', 'csv'];
  const style = options.style ?? FIGURE_STYLES.screen;
  const paint = { colourMap: options.colourMap ?? DEFAULT_COLOUR_MAP };
  const figs = runFigures(detail, nodeImageSource, paint);
  const named: Array<[string, EChartsOption | null]> = [
    ['loss', figs.loss],
    ['parameters', figs.parameters],
    ['ratios', figs.ratios],
    ['gradients', figs.gradients],
    ['landscape', figs.landscape],
    ['coefficients', figs.coefficients],
    ['landscape-difference', figs.roughness?.difference ?? null],
    ['landscape-zoom', figs.roughness?.zoom ?? null],
    ['rollout-q', figs.rollout?.positions ?? null],
    ['rollout-phase', figs.rollout?.phase ?? null],
    ['rollout-energy', figs.rollout?.energy ?? null],
  ];
  const study = detail.run.config;
  const results = detail.run.results;
  if (results && study.system.coordinates.length === 2) {
    const request = (count: number) => computeField(runFieldRequest(detail, 'training', count));
    const coarse: FieldResponse = await request(25);
    const fine: FieldResponse = await request(120);
    const q = fieldFigures(
      coarse,
      'Training window',
      nodeImageSource,
      study.sampling.window.exclusionBands?.[0]?.epsilon,
      undefined,
      paint,
    );
    const maps = fieldFigures(
      fine,
      'Training window',
      nodeImageSource,
      undefined,
      windowMask(study.sampling.window),
      paint,
    );
    named.push(
      ['quiver', q.data],
      ['quiver-fit', q.overlay],
      ['error-absolute', maps.absolute],
      ['error-relative', maps.relative],
    );
  }
  const written: WrittenFigure[] = [];
  // Never overwrite silently: an existing file gets a numbered sibling ("…-landscape-2.svg").
  const put = (kind: string, ext: FigureFormat, data: string | Uint8Array) => {
    const name = figureFileName(detail.run.name, kind, ext, detail.run.id);
    let fresh = name;
    for (let k = 2; out.exists([...parts, fresh]); k++) fresh = name.replace(/(\.\w+)$/, `-${k}$1`);
    return out.write([...parts, fresh], data);
  };
  for (const [kind, option] of named) {
    // a chart with nothing to draw (the parameters of a 25-coefficient model) is not a figure
    if (!option || !seriesOf(option).length) continue;
    options.onFigure?.(detail, kind);
    const files: string[] = [];
    const svg = renderSvg(option, style);
    if (formats.includes('svg')) files.push(put(kind, 'svg', svg));
    if (formats.includes('png'))
      files.push(put(kind, 'png', await svgToPng(svg, options.dpi ?? 300)));
    if (formats.includes('pdf'))
      files.push(put(kind, 'pdf', await svgToPdf(svg, style.widthIn, style.heightIn)));
    if (formats.includes('csv')) files.push(put(kind, 'csv', optionToCsv(option)));
    written.push({ kind, caption: captionOf(option, detail, kind), files });
  }
  appendManifest(out, [...parts], style, paint.colourMap, written);
  return written;
}

const seriesOf = (o: EChartsOption) =>
  Array.isArray(o.series) ? o.series : o.series ? [o.series] : [];

/** The figure's caption: its title (paper figures drop it from the drawing) and the run. */
function captionOf(option: EChartsOption, detail: RunDetail, kind: string): string {
  const title = Array.isArray(option.title) ? option.title[0] : option.title;
  const method = runMethod(detail.run.config, detail.run.results?.training.steps);
  return `${title?.text ?? kind} — run #${detail.run.id} "${detail.run.name}" (${method})`;
}

/** figures.json in the folder lists every figure written there: kind, caption, style, files. */
function appendManifest(
  out: SafeFolder,
  parts: string[],
  style: FigureStyle,
  colourMap: ColourMapName,
  written: readonly WrittenFigure[],
): void {
  const path = join(out.root, ...parts, 'figures.json');
  let entries: unknown[];
  try {
    const read = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    entries = Array.isArray(read) ? read : [];
  } catch {
    entries = []; // none yet (or not ours): start the list
  }
  for (const w of written)
    entries.push({
      figure: w.kind,
      caption: w.caption,
      style: style.name,
      widthIn: style.widthIn,
      heightIn: style.heightIn,
      colourMap,
      files: w.files.map((f) => basename(f)),
    });
  out.write([...parts, 'figures.json'], `${JSON.stringify(entries, null, 2)}\n`);
}
