import type { Worker } from 'node:worker_threads';
import { spawnWorker, workerModule } from './spawn-worker';

/**
 * A study worker's heap ceiling, so a run that outgrows it ends with a message, never the app or
 * the machine (typed arrays live outside it: memory-budget.ts refuses those up front).
 */
export const STUDY_HEAP_MB = 4096;

let spare: Worker | undefined;

/**
 * Start a study worker before it is needed: it loads the engine and the compute backend (about
 * a third of a second) while the caller loads its own modules and opens the project — the
 * `lagrange study` process starts one as it parses its command line. Unref'd: an unused spare
 * never keeps the process alive.
 */
export function prestartStudyWorker(): void {
  if (spare) return;
  const worker = spawnStudyWorker();
  worker.unref();
  // a spare that fails to start is dropped; the queue then starts its own
  worker.once('error', () => {
    if (spare === worker) spare = undefined;
  });
  spare = worker;
}

/** The spare if one is ready, else a new study worker. */
export function takeStudyWorker(): Worker {
  const worker = spare;
  spare = undefined;
  if (!worker) return spawnStudyWorker();
  worker.ref();
  return worker;
}

function spawnStudyWorker(): Worker {
  return spawnWorker(workerModule('study-worker'), {
    resourceLimits: { maxOldGenerationSizeMb: STUDY_HEAP_MB },
  });
}
