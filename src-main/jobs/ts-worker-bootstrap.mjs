// Loads a TypeScript worker module through tsx (development, tests and scripts only; the
// built application starts its workers from the emitted JavaScript).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
