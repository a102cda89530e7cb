import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Start a worker thread on a module of this project. From TypeScript sources (tests, `tsx`
 * scripts) the worker goes through a bootstrap that registers tsx; from a build it loads the
 * emitted JavaScript directly. The module reads its own settings from `workerData.data`.
 */
export function spawnWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  const data = { entry: moduleUrl.href, data: options.workerData };
  if (moduleUrl.pathname.endsWith('.ts')) {
    return new Worker(new URL('./ts-worker-bootstrap.cjs', import.meta.url), { ...options, workerData: data });
  }
  return new Worker(moduleUrl, { ...options, workerData: data });
}
