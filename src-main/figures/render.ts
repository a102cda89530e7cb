// Server-side figures: the UI's own option builders rendered with ECharts' SSR (SVG) in Node, and
// rasterised to PNG with resvg, so reports regenerate from scripts (npm run study -- … --figures
// DIR).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import type { Bitmap } from '../../src-shared/charts/colormap';
import type { ImageSourceFactory } from '../../src-shared/charts/bitmap-series';
import { figureFileName, optionToCsv, stretchSvgImages } from '../../src-shared/charts/export';
import { fieldFigures, runFieldRequest, runFigures } from '../../src-shared/figures/run-figures';
import type { FieldResponse, RunDetail } from '../../src-shared/api/contract';

import { computeField } from '../study/fields';
import { withResolution } from '../../src-shared/charts/png-resolution';
import { encodePng } from './png';

/** Dense fields become embedded PNG data URLs in the SVG. */
export const nodeImageSource: ImageSourceFactory = (bitmap: Bitmap) =>
  `data:image/png;base64,${encodePng(bitmap.width, bitmap.height, bitmap.rgba).toString('base64')}`;

export const PUBLICATION_SIZE = { width: 800, height: 560 };

export function renderSvg(
  option: EChartsOption,
  width = PUBLICATION_SIZE.width,
  height = PUBLICATION_SIZE.height,
): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ backgroundColor: '#ffffff', ...option });
    return stretchSvgImages(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/** SVG → PNG at a DPI (96 DPI is 1 px per SVG unit). */
export async function svgToPng(svg: string, dpi = 300): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: dpi / 96 },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return Buffer.from(withResolution(resvg.render().asPng(), dpi));
}

export interface WrittenFigure {
  readonly kind: string;
  readonly files: string[];
}

/** Every figure of a stored run, as SVG, PNG and CSV, named after the run and the figure. */
export async function writeRunFigures(
  detail: RunDetail,
  dir: string,
  options: { dpi?: number; formats?: Array<'svg' | 'png' | 'csv'> } = {},
): Promise<WrittenFigure[]> {
  mkdirSync(dir, { recursive: true });
  const formats = options.formats ?? ['svg', 'png', 'csv'];
  const figs = runFigures(detail, nodeImageSource);
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
    );
    const maps = fieldFigures(fine, 'Training window', nodeImageSource);
    named.push(
      ['quiver', q.data],
      ['quiver-fit', q.overlay],
      ['error-absolute', maps.absolute],
      ['error-relative', maps.relative],
    );
  }
  const written: WrittenFigure[] = [];
  // Never overwrite silently: an existing file gets a numbered sibling ("…-landscape-2.svg").
  const freshPath = (folder: string, name: string) => {
    let path = join(folder, name);
    for (let k = 2; existsSync(path); k++) path = join(folder, name.replace(/(\.\w+)$/, `-${k}$1`));
    return path;
  };
  for (const [kind, option] of named) {
    if (!option) continue;
    const files: string[] = [];
    const svg = renderSvg(option);
    if (formats.includes('svg')) {
      const f = freshPath(dir, figureFileName(detail.run.name, kind, 'svg', detail.run.id));
      writeFileSync(f, svg);
      files.push(f);
    }
    if (formats.includes('png')) {
      const f = freshPath(dir, figureFileName(detail.run.name, kind, 'png', detail.run.id));
      writeFileSync(f, await svgToPng(svg, options.dpi ?? 300));
      files.push(f);
    }
    if (formats.includes('csv')) {
      const f = freshPath(dir, figureFileName(detail.run.name, kind, 'csv', detail.run.id));
      writeFileSync(f, optionToCsv(option));
      files.push(f);
    }
    written.push({ kind, files });
  }
  return written;
}
