// Loads a TypeScript worker module through tsx (development, tests and scripts only; the
// built application starts its workers from the emitted JavaScript).
const { workerData } = require('node:worker_threads');
const { fileURLToPath } = require('node:url');
require('tsx/cjs/api').register();
require(fileURLToPath(workerData.entry));
