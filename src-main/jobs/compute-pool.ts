// A small pool of worker threads for the API's input-dependent computations, so the main
// process only routes: each request has a wall-clock and a memory budget, and a worker that
// exceeds either is terminated (and replaced on the next request) with a clear message.
import { componentLog } from '../logging';
import type { Worker } from 'node:worker_threads';
import { AppError, fromEnvelope, type ErrorEnvelope } from '../../src-shared/errors';
import { TASK_LABELS } from '../../src-shared/api/contract';
import type { ComputeChannel, ComputeRequest, ComputeResponse } from '../study/compute-requests';
import { spawnWorker, workerModule } from './spawn-worker';

export interface ComputeTask {
  readonly id: number;
  readonly channel: ComputeChannel;
  readonly request: unknown;
}
export type ComputeReply =
  | { readonly ready: true }
  | { readonly id: number; readonly progress: number }
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: ErrorEnvelope;
    };

export interface ComputePoolOptions {
  /** Workers at most (default 2: one per core here). */
  readonly size?: number;
  /** Wall-clock budget of one request (default 30 s). */
  readonly timeoutMs?: number;
  /** Heap budget of one worker (default 1536 MiB). */
  readonly memoryMb?: number;
}

/** How a caller follows and stops one request. */
export interface ComputeControl {
  /** Aborting stops the request at once (its worker is replaced): `cancelled`. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
}

interface Pending {
  readonly task: ComputeTask;
  readonly control: ComputeControl;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  readonly worker: Worker;
  /** The worker has loaded its modules: budgets count from here, not from its start-up. */
  ready: boolean;
  busy: { pending: Pending; timer: NodeJS.Timeout } | null;
}

/** What a request is doing, in the task bar's words (said once, in the contract). */
const WHAT: Record<ComputeChannel, string> = TASK_LABELS;

export class ComputePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;

  constructor(private readonly options: ComputePoolOptions = {}) {}

  run<C extends ComputeChannel>(
    channel: C,
    request: ComputeRequest<C>,
    control: ComputeControl = {},
  ): Promise<ComputeResponse<C>> {
    return new Promise<ComputeResponse<C>>((resolve, reject) => {
      const cancelled = () => new AppError('cancelled', `${WHAT[channel]} was cancelled`);
      if (control.signal?.aborted) return reject(cancelled());
      const pending: Pending = {
        task: { id: this.nextId++, channel, request },
        control,
        resolve: resolve,
        reject,
      };
      control.signal?.addEventListener('abort', () => this.abort(pending, cancelled()), {
        once: true,
      });
      this.queue.push(pending);
      this.pump();
    });
  }

  /** Drop a queued request, or stop the worker running it (a fresh one takes the next). */
  private abort(pending: Pending, error: AppError): void {
    const i = this.queue.indexOf(pending);
    if (i >= 0) {
      this.queue.splice(i, 1);
      pending.reject(error);
      return;
    }
    const slot = this.slots.find((s) => s.busy?.pending === pending);
    if (slot) void this.retire(slot, error);
  }

  /** Stop every worker; queued and running requests are refused. */
  async close(): Promise<void> {
    for (const p of this.queue.splice(0))
      p.reject(new AppError('unavailable', 'The computation was stopped: the app is closing'));
    await Promise.all(this.slots.splice(0).map((s) => this.retire(s, null)));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      if (!this.slots.some((s) => !s.busy) && this.slots.length < (this.options.size ?? 2))
        this.spawn();
      const slot = this.slots.find((s) => s.ready && !s.busy);
      if (!slot) return; // a worker still starting takes the request when it is ready
      const pending = this.queue.shift()!;
      const timeoutMs = this.options.timeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        void this.retire(
          slot,
          new AppError(
            'timed-out',
            `${WHAT[pending.task.channel]} took longer than ${timeoutMs / 1000} s and was stopped: use fewer points or a coarser grid, or simplify the Lagrangian`,
          ),
        );
      }, timeoutMs);
      slot.busy = { pending, timer };
      slot.worker.postMessage(pending.task);
    }
  }

  private spawn(): Slot {
    const worker = spawnWorker(workerModule('compute-worker'), {
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb ?? 1536 },
    });
    worker.unref(); // an idle pool never keeps the process alive
    const slot: Slot = { worker, ready: false, busy: null };
    worker.on('message', (reply: ComputeReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        this.pump();
        return;
      }
      const busy = slot.busy;
      if (!busy || busy.pending.task.id !== reply.id) return;
      if ('progress' in reply) {
        busy.pending.control.onProgress?.(reply.progress);
        return;
      }
      clearTimeout(busy.timer);
      slot.busy = null;
      if (reply.ok) busy.pending.resolve(reply.value);
      else busy.pending.reject(fromEnvelope(reply.error));
      this.pump();
    });
    const fail = (err: Error) => {
      const memory = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      const what = slot.busy ? WHAT[slot.busy.pending.task.channel] : 'A computation';
      void this.retire(
        slot,
        memory
          ? new AppError(
              'too-large',
              `${what} needed more than its memory budget (${this.options.memoryMb ?? 1536} MiB) and was stopped: use fewer points or a coarser grid`,
            )
          : new AppError('internal', `${what} failed: ${err.message}`),
      );
    };
    worker.on('error', (err: Error) => {
      componentLog('compute').error({ err }, 'compute worker failed');
      fail(err);
    });
    worker.on('exit', (code) => {
      if (slot.busy) fail(new Error(`the worker exited with code ${code}`));
      else this.forget(slot);
    });
    this.slots.push(slot);
    return slot;
  }

  /** Terminate a worker, failing its request with `error` (none when closing). */
  private async retire(slot: Slot, error: AppError | null): Promise<void> {
    const busy = slot.busy;
    slot.busy = null;
    this.forget(slot);
    if (busy) {
      clearTimeout(busy.timer);
      busy.pending.reject(
        error ?? new AppError('unavailable', 'The computation was stopped: the app is closing'),
      );
    }
    slot.worker.removeAllListeners();
    await slot.worker.terminate();
    this.pump();
  }

  private forget(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }
}

let shared: ComputePool | null = null;
/** The process's pool (its idle workers never keep the process alive). */
export function computePool(): ComputePool {
  return (shared ??= new ComputePool());
}
