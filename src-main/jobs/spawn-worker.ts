import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Start a worker thread on a module of this project. From TypeScript sources (tests, `tsx`
 * scripts) the worker goes through a bootstrap that registers tsx; from a build it loads the
 * emitted JavaScript directly. The module reads its own settings from `workerData.data`.
 */
export function spawnWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  const data = { entry: moduleUrl.href, data: options.workerData as unknown };
  if (moduleUrl.pathname.endsWith('.ts')) {
    return new Worker(new URL('./ts-worker-bootstrap.cjs', import.meta.url), {
      ...options,
      workerData: data,
    });
  }
  return new Worker(moduleUrl, { ...options, workerData: data });
}

/**
 * A worker module by name, in src-main/jobs (or another folder of src-main): the .ts source in
 * development and tests, or out/main/<name>.js beside the built main entry (electron-vite emits
 * each worker as an entry of its own; chunks may live elsewhere, so the main script's folder is
 * the anchor).
 */
export function workerModule(name: string, folder: 'jobs' | 'cli' = 'jobs'): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL(`../${folder}/${name}.ts`, here);
  // The entry script: require.main in Electron and `node out/main/cli.js`; argv[1] when the
  // `lagrange` bin imports the built CLI (an ES module importing CommonJS has no require.main).
  const main =
    (typeof require !== 'undefined' ? require.main?.filename : undefined) ??
    (process.argv[1]?.endsWith('.js') ? process.argv[1] : undefined);
  return pathToFileURL(join(main ? dirname(main) : dirname(fileURLToPath(here)), `${name}.js`));
}
