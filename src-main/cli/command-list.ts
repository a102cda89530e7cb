// What each command of `lagrange` does, in one line: the top-level --help prints these without
// loading any command's module (a command's own --help adds its options).
export const COMMAND_SUMMARIES = {
  study:
    'Run a study headless through the same job queue (worker threads) and project store as the app; a study with a sweep runs one run per combination.',
  serve: "The studio in a browser: the app's API over a loopback HTTP bridge with a token.",
  bench: 'BENCH-1 (shared/bench): dataset, landscape, exact-form and polynomial fits, timed.',
  merge: "Copy every run of the SOURCE projects (a sweep's shards) into TARGET, under new ids.",
  export:
    'Write runs as tidy data: metrics and the dataset as CSV/TSV, NumPy .npy/.npz, TensorBoard event files, MLflow run folders (docs/python.md).',
  sweep:
    "Run every combination of a study's sweep (or one shard's share, --shard i/n, e.g. a Slurm array task); --out, --dataset-csv and --figures name folders.",
} as const;
