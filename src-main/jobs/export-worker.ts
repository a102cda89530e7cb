// Worker: renders report bundles (ECharts SSR + resvg at print resolution takes seconds) off the
// Electron main thread and the serve process's event loop.
import type { ColourMapName } from '../../src-shared/charts/colormap';
import { parentPort } from 'node:worker_threads';
import type { RunDetail } from '../../src-shared/api/contract';
import { writeReportBundle } from '../figures/bundle';
import {
  FIGURE_STYLES,
  type FigureFormat,
  type FigureStyleName,
} from '../../src-shared/figures/figure-style';

export interface ExportRequest {
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
