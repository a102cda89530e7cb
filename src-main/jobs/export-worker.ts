// Worker: renders report bundles (ECharts SSR + resvg at print resolution takes seconds) and
// writes runs as data (their datasets are regenerated) off the Electron main thread and the serve
// process's event loop.
import type { ColourMapName } from '../../src-shared/charts/colormap';
import { parentPort } from 'node:worker_threads';
import type { RunDetail } from '../../src-shared/api/contract';
import { writeReportBundle } from '../figures/bundle';
import { exportRuns, type ExportFormat } from '../export/run-export';
import {
  FIGURE_STYLES,
  type FigureFormat,
  type FigureStyleName,
} from '../../src-shared/figures/figure-style';

export interface ExportRequest {
  /** A figure bundle (default) or tidy data (`dataFormats`). */
  readonly dataFormats?: ExportFormat[];
  readonly details: RunDetail[];
  readonly dir: string;
  readonly dpi: number;
  readonly style?: FigureStyleName;
  readonly formats?: FigureFormat[];
  readonly colourMap?: ColourMapName;
}
export type ExportResponse =
  | { readonly ok: true; readonly dir: string; readonly files: string[] }
  | { readonly ok: false; readonly error: string };

parentPort!.once('message', (req: ExportRequest) => {
  if (req.dataFormats) {
    try {
      const files = exportRuns(req.details, req.dir, req.dataFormats);
      parentPort!.postMessage({ ok: true, dir: req.dir, files } satisfies ExportResponse);
    } catch (err) {
      parentPort!.postMessage({
        ok: false,
        error: (err as Error).message,
      } satisfies ExportResponse);
    }
    return;
  }
  writeReportBundle(req.details, req.dir, {
    dpi: req.dpi,
    style: FIGURE_STYLES[req.style ?? 'screen'],
    ...(req.formats ? { formats: req.formats } : {}),
    ...(req.colourMap ? { colourMap: req.colourMap } : {}),
  })
    .then((r) => parentPort!.postMessage({ ok: true, ...r } satisfies ExportResponse))
    .catch((err: Error) =>
      parentPort!.postMessage({ ok: false, error: err.message } satisfies ExportResponse),
    );
});
