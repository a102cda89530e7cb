import type { StudyResults } from '../../src-shared/dto/results';

/** "timings: dataset 12 ms · training 1.40 s · … · total 3.21 s" (--timings). */
export function formatTimings(r: StudyResults): string {
  const t = r.timings;
  if (!t) return 'timings: not recorded (a run from before timings were kept)';
  const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
  const phases = Object.entries(t).filter(([k]) => k !== 'total');
  return `timings: ${[...phases, ...(t.total !== undefined ? [['total', t.total] as const] : [])]
    .map(([k, v]) => `${k} ${ms(v)}`)
    .join(' · ')}`;
}
