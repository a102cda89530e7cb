// The measured-data size limit on its own: the HTTP bridge's upload route checks it without
// loading the engine (serve starts faster).

/** The largest measured-data file read (LAGRANGE_MAX_MEASURED_BYTES overrides; default 1 GiB). */
export function maxMeasuredBytes(): number {
  const set = Number(process.env.LAGRANGE_MAX_MEASURED_BYTES);
  return Number.isFinite(set) && set > 0 ? set : 2 ** 30;
}
