// Child process (src-main/jobs/isolated.ts): renders figures (ECharts SSR, then resvg and pdfkit,
// native code that can abort its process) and writes runs as data, off the Electron main thread
// and the serve process's event loop. A crash here ends this process only; the parent names the
// figure it was drawing.
import type { ColourMapName } from '../../src-shared/charts/colormap';
import type { RunDetail } from '../../src-shared/api/contract';
import { writeReportBundle } from '../figures/bundle';
import { writeRunFigures, type WrittenFigure } from '../figures/render';
import { exportRuns, type ExportFormat } from '../export/run-export';
import {
  FIGURE_STYLES,
  type FigureFormat,
  type FigureStyleName,
} from '../../src-shared/figures/figure-style';
import { serveOneRequest } from './isolated';
import { svgToPdf } from '../figures/pdf';
import { writeReportFigures } from '../figures/report-export';
import type { ReportKey } from '../../src-shared/figures/report-figures';

/** How the figures of a figure export are drawn and where they go. */
interface FigureJob {
  readonly dir: string;
  readonly dpi: number;
  readonly style?: FigureStyleName;
  readonly formats?: FigureFormat[];
  readonly colourMap?: ColourMapName;
}

export type ExportRequest =
  | {
      /** Tidy data: CSV, NumPy, TensorBoard, MLflow. */
      readonly kind: 'data';
      readonly details: RunDetail[];
      readonly dir: string;
      readonly formats: ExportFormat[];
    }
  | (FigureJob & {
      /** A report bundle (several runs' figures and summary.md) or one run's figures. */
      readonly kind: 'bundle' | 'figures';
      readonly details: RunDetail[];
    })
  | (FigureJob & {
      /** The weekly report's 27 figures, by figure number, from its runs by role. */
      readonly kind: 'report';
      readonly details: Record<ReportKey, RunDetail>;
    })
  | {
      /** One SVG drawn in the page, as a PDF of its size (pdfkit: native code, isolated). */
      readonly kind: 'pdf';
      readonly svg: string;
      readonly widthIn: number;
      readonly heightIn: number;
    };
export type ExportReply = {
  readonly dir: string;
  readonly files: string[];
  readonly skipped?: string[];
};
export type FiguresReply = ExportReply & { readonly written: WrittenFigure[] };
export type PdfReply = { readonly pdf: string };

serveOneRequest<ExportRequest, ExportReply | FiguresReply | PdfReply>(async (req, doing) => {
  if (req.kind === 'pdf') {
    doing('drawing the figure as PDF');
    return { pdf: (await svgToPdf(req.svg, req.widthIn, req.heightIn)).toString('base64') };
  }
  if (req.kind === 'data') {
    doing('writing the data files');
    return { dir: req.dir, files: exportRuns(req.details, req.dir, req.formats) };
  }
  const options = {
    dpi: req.dpi,
    style: FIGURE_STYLES[req.style ?? 'screen'],
    ...(req.formats ? { formats: req.formats } : {}),
    ...(req.colourMap ? { colourMap: req.colourMap } : {}),
    onFigure: (run: RunDetail, kind: string) => {
      doing(`drawing figure "${kind}" of run #${run.run.id} "${run.run.name}"`);
      // tests stand in a native crash here (resvg's panic aborts like this)
      if (process.env.LAGRANGE_TEST_ABORT_AT_FIGURE === kind) process.abort();
    },
  };
  if (req.kind === 'bundle') return writeReportBundle(req.details, req.dir, options);
  if (req.kind === 'report') return writeReportFigures(req.details, req.dir, options);
  const written = await writeRunFigures(req.details[0]!, req.dir, options);
  return { dir: req.dir, files: written.flatMap((w) => w.files), written };
});
