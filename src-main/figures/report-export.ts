// The weekly report's 27 figures as files named by their number (fig13-error-absolute-run2.pdf),
// multi-panel figures composed as in the report (figure 24's four widths in a 2 × 2 grid), and
// figures.json giving each file its figure number, section and caption.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { EChartsOption } from 'echarts';
import type { FieldResponse, RunDetail } from '../../src-shared/api/contract';
import { optionToCsv } from '../../src-shared/charts/export';
import { DEFAULT_COLOUR_MAP } from '../../src-shared/charts/colormap';
import { FIGURE_STYLES, type FigureStyle } from '../../src-shared/figures/figure-style';
import {
  reportFieldRequests,
  reportFigures,
  zoomSeriesRequests,
  type ReportKey,
} from '../../src-shared/figures/report-figures';
import { runMethod } from '../../src-shared/figures/run-method';
import { SafeFolder } from '../export/safe-folder';
import { computeField } from '../study/fields';
import { svgToPdf } from './pdf';
import { nodeImageSource, renderSvg, svgToPng, type FigureExportOptions } from './render';

export interface ReportFigureFile {
  readonly figure: number;
  readonly section: string;
  readonly caption: string;
  readonly run: { readonly id: number; readonly name: string };
  readonly files: string[];
}

/**
 * Panels side by side (two per row from four up), each at the style's size: a panel keeps the
 * layout the style guarantees. Ids are prefixed per panel so clip paths do not collide.
 */
export function composePanels(
  panels: readonly string[],
  style: FigureStyle,
): { svg: string; widthIn: number; heightIn: number } {
  const cols = panels.length >= 4 ? 2 : panels.length;
  const rows = Math.ceil(panels.length / cols);
  const w = style.widthIn * 96,
    h = style.heightIn * 96;
  const inner = panels.map((svg, k) => {
    const p = `p${k}-`;
    const placed = svg
      .replace(/\bid="/g, `id="${p}`)
      .replace(/url\(#/g, `url(#${p}`)
      .replace(/href="#/g, `href="#${p}`)
      .replace('<svg ', `<svg x="${(k % cols) * w}" y="${Math.floor(k / cols) * h}" `);
    return placed.replace(/^<\?xml[^>]*>\s*/, '');
  });
  const [W, H] = [cols * w, rows * h];
  return {
    svg:
      `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg"` +
      ` xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1">` +
      `<rect width="${W}" height="${H}" fill="#ffffff"/>${inner.join('')}</svg>`,
    widthIn: cols * style.widthIn,
    heightIn: rows * style.heightIn,
  };
}

/** Every report figure of the runs (by role) into `dir`, in the chosen style and formats. */
export async function writeReportFigures(
  details: Record<ReportKey, RunDetail>,
  dir: string,
  options: FigureExportOptions = {},
): Promise<{ dir: string; files: string[]; written: ReportFigureFile[] }> {
  const style = options.style ?? FIGURE_STYLES.screen;
  const formats = options.formats ?? ['svg', 'png', 'csv'];
  const paint = { colourMap: options.colourMap ?? DEFAULT_COLOUR_MAP };
  const fields: Record<string, FieldResponse> = {};
  for (const [name, request] of Object.entries(reportFieldRequests(details)))
    fields[name] = await computeField(request);
  const zoom = await Promise.all(
    zoomSeriesRequests(details.near).map(async (z) => ({
      width: z.width,
      field: await computeField(z.request),
    })),
  );
  const figures = reportFigures({ details, fields, zoom, imageSource: nodeImageSource, paint });
  return SafeFolder.runAsync(dir, async (out) => {
    const written: ReportFigureFile[] = [];
    for (const figure of figures) {
      const run = details[figure.run];
      options.onFigure?.(run, `figure ${figure.n}`);
      const base = `fig${String(figure.n).padStart(2, '0')}-${figure.slug}`;
      const panels: EChartsOption[] = figure.charts.map((c) => c());
      const svgs = panels.map((o) => renderSvg(o, style));
      const drawn =
        svgs.length === 1
          ? { svg: svgs[0]!, widthIn: style.widthIn, heightIn: style.heightIn }
          : composePanels(svgs, style);
      const files: string[] = [];
      if (formats.includes('svg')) files.push(out.write([`${base}.svg`], drawn.svg));
      if (formats.includes('png'))
        files.push(out.write([`${base}.png`], await svgToPng(drawn.svg, options.dpi ?? 300)));
      if (formats.includes('pdf'))
        files.push(
          out.write([`${base}.pdf`], await svgToPdf(drawn.svg, drawn.widthIn, drawn.heightIn)),
        );
      if (formats.includes('csv'))
        panels.forEach((o, k) =>
          files.push(
            out.write(
              [`${base}${panels.length > 1 ? String.fromCharCode(97 + k) : ''}.csv`],
              optionToCsv(o),
            ),
          ),
        );
      const method = runMethod(run.run.config, run.run.results?.training.steps);
      written.push({
        figure: figure.n,
        section: figure.section,
        caption: `${figure.caption} (run #${run.run.id} "${run.run.name}", ${method})`,
        run: { id: run.run.id, name: run.run.name },
        files: files.map((f) => basename(f)),
      });
    }
    writeManifest(out, style, paint.colourMap, written);
    return { dir: out.root, files: written.flatMap((w) => w.files), written };
  });
}

/**
 * figures.json: the report's figures, each with its number. Exporting the report again into the
 * same folder updates its files (a paper includes fig13-….pdf by name), so their old entries go;
 * other entries are kept.
 */
function writeManifest(
  out: SafeFolder,
  style: FigureStyle,
  colourMap: string,
  written: readonly ReportFigureFile[],
): void {
  let entries: unknown[] = [];
  try {
    const read = JSON.parse(readFileSync(join(out.root, 'figures.json'), 'utf8')) as unknown;
    if (Array.isArray(read)) entries = read;
  } catch {
    // none yet (or not ours): start the list
  }
  const fresh = new Set(written.flatMap((w) => w.files));
  entries = entries.filter(
    (e) =>
      !(e && typeof e === 'object' && Array.isArray((e as { files?: unknown }).files)) ||
      !(e as { files: unknown[] }).files.some((f) => fresh.has(String(f))),
  );
  for (const w of written)
    entries.push({ ...w, style: style.name, widthIn: style.widthIn, colourMap });
  out.write(['figures.json'], `${JSON.stringify(entries, null, 2)}\n`);
}
