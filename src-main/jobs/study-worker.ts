// Worker: runs one study off the main thread and reports progress, checkpoints and results.
import { componentLog } from '../logging';
import { parentPort } from 'node:worker_threads';
import { initBackend } from '../engine/backend';
import { runStudy } from '../study/run-study';
import { STOP_PAUSE, type FromWorker, type GridMessage, type ToWorker } from './messages';
import { toEnvelope } from '../../src-shared/errors';

const port = parentPort!;
// The backend starts loading with the worker, before the study arrives (a prestarted spare,
// study-worker-spawn.ts, has it ready when the study comes).
const backendReady = initBackend();
backendReady.catch(() => undefined); // a failure is reported with the study that needs it
let stopRequested: 'cancel' | 'pause' | null = null;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/* eslint-disable-next-line max-lines-per-function --
   the worker's one message handler: a study run, its grids posted as transferables */
port.on('message', (msg: ToWorker) => {
  if (msg.type === 'cancel' || msg.type === 'pause') {
    stopRequested ??= msg.type;
    return;
  }
  const flag = new Int32Array(msg.stopFlag);
  // A stop pressed in the main thread, seen at once even inside a synchronous phase.
  const stopped = () => {
    const code = Atomics.load(flag, 0);
    if (code !== 0) stopRequested ??= code === STOP_PAUSE ? 'pause' : 'cancel';
    return stopRequested !== null;
  };
  let lastPhaseProgress = 0;
  void (async () => {
    try {
      const backend = await backendReady;
      post({ type: 'phase', phase: 'dataset', backend: backend.active });
      const out = await runStudy(msg.study, {
        ...(msg.resumeFrom ? { resumeFrom: msg.resumeFrom } : {}),
        shouldStop: stopped,
        progressIntervalMs: msg.progressIntervalMs,
        checkpointIntervalMs: msg.checkpointIntervalMs,
        onPhase: (phase) => {
          lastPhaseProgress = 0;
          post({ type: 'phase', phase });
        },
        onPhaseProgress: (fraction) => {
          const now = performance.now();
          if (now - lastPhaseProgress < msg.progressIntervalMs) return;
          lastPhaseProgress = now;
          post({ type: 'phase-progress', fraction });
        },
        onProgress: (p) =>
          post({
            type: 'progress',
            step: p.step,
            maxSteps: p.maxSteps,
            loss: p.loss,
            parameters: Array.from(p.parameters),
            elapsedMs: p.elapsedMs,
          }),
        onCheckpoint: (checkpoint) => post({ type: 'checkpoint', checkpoint }),
      });
      if (stopRequested === 'pause' && out.results.training.status === 'cancelled') {
        post({ type: 'paused', checkpoint: out.checkpoint });
        return;
      }
      const grids: GridMessage[] = [...out.grids];
      if (out.landscape) {
        const l = out.landscape;
        grids.push({
          kind: 'landscape',
          meta: {
            ...out.results.landscape,
            xValues: Array.from(l.xValues),
            yValues: Array.from(l.yValues),
          },
          nx: l.xValues.length,
          ny: l.yValues.length,
          data: l.loss,
        });
      }
      post(
        {
          type: 'done',
          results: out.results,
          history: out.history,
          checkpoint: out.checkpoint,
          grids,
        },
        grids.map((g) => g.data.buffer as ArrayBuffer),
      );
    } catch (err) {
      const error = toEnvelope(err);
      // An engine error (bad input) is the user's to fix; anything else keeps its stack here.
      const bug = error.code === 'internal';
      componentLog('study-worker')[bug ? 'error' : 'info'](
        { runId: msg.runId, code: error.code, ...(bug ? { err } : {}) },
        error.message,
      );
      post({ type: 'failed', error });
    }
  })();
});
