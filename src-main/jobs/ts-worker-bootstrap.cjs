// Loads a TypeScript worker module through tsx (development, tests and scripts only; the
// built application starts its workers from the emitted JavaScript). A worker thread names its
// module in workerData; a child process (src-main/jobs/isolated.ts) in its first argument.
const { workerData } = require('node:worker_threads');
const { fileURLToPath } = require('node:url');
require('tsx/cjs/api').register();
const entry = workerData?.entry;
require(entry ? fileURLToPath(entry) : process.argv[2]);
