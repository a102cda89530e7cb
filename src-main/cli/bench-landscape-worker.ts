// Worker: computes rows of a loss landscape's general path (one thread each, both cores busy).
import { parentPort } from 'node:worker_threads';
import { initBackend } from '../engine/backend';
import { generalLandscapeRows, type LandscapeSpec } from '../engine/analysis/landscape';
import { compileModel } from '../engine/models/compile-model';
import type { ModelSpec } from '../engine/models/model';
import type { SystemDefinition } from '../engine/systems/system';

export interface LandscapeRowsRequest {
  readonly id: number;
  readonly system: SystemDefinition;
  readonly model: ModelSpec;
  readonly q: Float64Array[];
  readonly qd: Float64Array[];
  readonly qdd: Float64Array[];
  readonly spec: LandscapeSpec;
  readonly rowStart: number;
  readonly rowEnd: number;
}

export type LandscapeRowsResponse =
  | { readonly id: number; readonly rows: Float64Array }
  | { readonly id: number; readonly error: string };

const ready = initBackend();
parentPort!.on('message', (req: LandscapeRowsRequest) => {
  void ready.then(() => {
    try {
      const model = compileModel(req.model, req.system);
      const rows = generalLandscapeRows(model, req, req.spec, req.rowStart, req.rowEnd);
      parentPort!.postMessage({ id: req.id, rows } satisfies LandscapeRowsResponse, [
        rows.buffer as ArrayBuffer,
      ]);
    } catch (err) {
      parentPort!.postMessage({
        id: req.id,
        error: err instanceof Error ? err.message : String(err),
      } satisfies LandscapeRowsResponse);
    }
  });
});
