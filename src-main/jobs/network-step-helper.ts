import { availableParallelism } from 'node:os';
import type { NetworkStepHelper } from '../engine/training/fused/neural-kernel';
import { componentLog } from '../logging';
import { spawnWorker, workerModule } from './spawn-worker';

/**
 * The helper thread of neural training steps (network-step-worker), on machines with a second
 * core; the worker never keeps the process alive and is terminated on dispose.
 */
export const networkStepHelper: NetworkStepHelper = (request) => {
  if (availableParallelism() < 2) return null;
  const worker = spawnWorker(workerModule('network-step-worker'), { workerData: request });
  worker.unref();
  // an error ends the worker; the training thread stops waiting for it and computes its half
  worker.on('error', (err) =>
    componentLog('training').warn({ err }, 'the network-step helper failed; one thread goes on'),
  );
  return {
    dispose: () => void worker.terminate(),
  };
};
