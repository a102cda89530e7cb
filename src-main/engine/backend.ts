import * as tf from './tf';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appRoot } from '../app-root';
import type { BackendAttempt, BackendName, BackendReport } from '../../src-shared/dto/backend';
export type { BackendAttempt, BackendName, BackendReport };

const CANDIDATES: ReadonlyArray<{ backend: BackendName; module: string; tfName: string }> = [
  { backend: 'tensorflow-gpu', module: '@tensorflow/tfjs-node-gpu', tfName: 'tensorflow' },
  { backend: 'tensorflow', module: '@tensorflow/tfjs-node', tfName: 'tensorflow' },
  { backend: 'wasm', module: '@tensorflow/tfjs-backend-wasm', tfName: 'wasm' },
  { backend: 'cpu', module: '@tensorflow/tfjs-backend-cpu', tfName: 'cpu' },
];

let current: Promise<BackendReport> | undefined;

/**
 * Load the best backend present: tfjs-node-gpu, tfjs-node, wasm, cpu. `prefer` (or the
 * LAGRANGE_BACKEND environment variable) pins one, e.g. to run the tests on cpu as well.
 */
export function initBackend(prefer?: BackendName): Promise<BackendReport> {
  const pinned = prefer ?? (process.env.LAGRANGE_BACKEND as BackendName | undefined);
  if (!current || pinned) current = selectBackend(pinned);
  return current;
}

async function selectBackend(pinned?: BackendName): Promise<BackendReport> {
  const attempts: BackendAttempt[] = [];
  for (const c of CANDIDATES) {
    if (pinned && c.backend !== pinned) {
      attempts.push({
        backend: c.backend,
        module: c.module,
        ok: false,
        reason: `${c.module}: not requested (pinned to ${pinned})`,
      });
      continue;
    }
    try {
      if (c.backend !== 'cpu') await importModule(c.module);
      const ok = await tf.setBackend(c.tfName);
      if (!ok) throw new Error('backend failed to initialise');
      await tf.ready();
      // A smoke test: some installs load but cannot run a kernel.
      const probe = tf.tidy(() => tf.sum(tf.mul(tf.tensor1d([1, 2, 3]), 2)));
      const value = (await probe.data())[0];
      probe.dispose();
      if (value !== 12) throw new Error(`smoke test gave ${value}, expected 12`);
      attempts.push({ backend: c.backend, module: c.module, ok: true });
      const skipped = attempts
        .filter((a) => !a.ok)
        .map((a) => a.reason)
        .join('; ');
      return {
        active: c.backend,
        attempts,
        summary: `compute backend: ${c.backend}${skipped ? ` (skipped: ${skipped})` : ''}`,
      };
    } catch (err) {
      attempts.push({
        backend: c.backend,
        module: c.module,
        ok: false,
        reason: `${c.module}: ${describeLoadError(err)}`,
      });
    }
  }
  throw new Error(`No compute backend could start: ${attempts.map((a) => a.reason).join('; ')}`);
}

/**
 * Import by name, resolved from the application's own folder (never the working folder: the
 * desktop app may start anywhere); bundlers and loaders that rewrite bare dynamic imports get a
 * resolved file URL instead.
 */
async function importModule(name: string): Promise<unknown> {
  let resolved: string;
  try {
    resolved = createRequire(join(appRoot(), 'package.json')).resolve(name);
  } catch (err) {
    if ((err as { code?: string }).code === 'MODULE_NOT_FOUND') throw err;
    return import(/* @vite-ignore */ name);
  }
  return import(/* @vite-ignore */ pathToFileURL(resolved).href);
}

function describeLoadError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (
    e.code === 'ERR_MODULE_NOT_FOUND' ||
    e.code === 'MODULE_NOT_FOUND' ||
    /Cannot find (module|package)/.test(String(e.message))
  ) {
    return 'not installed';
  }
  const first = String(e.message ?? err).split('\n')[0]!;
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
}
