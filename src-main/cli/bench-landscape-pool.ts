import { availableParallelism } from 'node:os';
import { componentLog } from '../logging';
import type { Worker } from 'node:worker_threads';
import {
  finishLandscape,
  validateLandscape,
  type Landscape,
  type LandscapeSpec,
} from '../engine/analysis/landscape';
import { compileModel } from '../engine/models/compile-model';
import type { ModelSpec } from '../engine/models/model';
import type { PhaseSamples } from '../engine/training/samples';
import type { SystemDefinition } from '../engine/systems/system';
import type { LandscapeRowsRequest, LandscapeRowsResponse } from './bench-landscape-worker';
import { spawnWorker, workerModule } from '../jobs/spawn-worker';

/**
 * The bench's general landscape path split by rows across worker threads (one per core): W2's
 * multi-worker rows. Not part of the app (a study computes its landscape on the study worker's
 * thread; electron-builder.yml leaves the bench out of the package).
 */
export class LandscapePool {
  private readonly workers: Worker[];
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (rows: Float64Array) => void; reject: (e: Error) => void }
  >();

  constructor(size = Math.max(1, availableParallelism())) {
    const url = workerModule('bench-landscape-worker', 'cli');
    this.workers = Array.from({ length: size }, () => {
      const w = spawnWorker(url);
      w.on('message', (msg: LandscapeRowsResponse) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if ('error' in msg) p.reject(new Error(msg.error));
        else p.resolve(msg.rows);
      });
      w.on('error', (err: Error) => {
        componentLog('landscape').error({ err }, 'landscape worker failed');
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      return w;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  async compute(
    system: SystemDefinition,
    model: ModelSpec,
    data: PhaseSamples,
    spec: LandscapeSpec,
  ): Promise<Landscape> {
    validateLandscape(compileModel(model, system), spec);
    const start = performance.now();
    const rows = spec.y.count;
    const { shouldStop: _stop, onProgress: _progress, ...plainSpec } = spec;
    const parts = this.workers.map((worker, i) => {
      const rowStart = Math.floor((rows * i) / this.workers.length);
      const rowEnd = Math.floor((rows * (i + 1)) / this.workers.length);
      const id = this.nextId++;
      const req: LandscapeRowsRequest = {
        id,
        system,
        model,
        q: [...data.q],
        qd: [...data.qd],
        qdd: [...data.qdd],
        // Functions do not cross to a worker (structured clone): stop and progress stay here.
        spec: { ...plainSpec, path: 'general' },
        rowStart,
        rowEnd,
      };
      return new Promise<{ rowStart: number; rows: Float64Array }>((resolve, reject) => {
        this.pending.set(id, { resolve: (r) => resolve({ rowStart, rows: r }), reject });
        worker.postMessage(req);
      });
    });
    const loss = new Float64Array(rows * spec.x.count);
    for (const part of await Promise.all(parts)) loss.set(part.rows, part.rowStart * spec.x.count);
    return finishLandscape(spec, loss, 'general', performance.now() - start);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
