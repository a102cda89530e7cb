import { AppError } from '../../src-shared/errors';
import { parseStudy, type StudySpec } from '../../src-shared/study/study-schema';

type SweepValue = number | string | boolean;

function setPath(target: Record<string, unknown>, path: string, value: SweepValue): void {
  const keys = path.split('.');
  let o: Record<string, unknown> = target;
  keys.slice(0, -1).forEach((k) => {
    if (['__proto__', 'constructor', 'prototype'].includes(k))
      throw new AppError('invalid-sweep', `"${path}" is not a study setting`);
    if (typeof o[k] !== 'object' || o[k] === null)
      throw new AppError('invalid-sweep', `"${path}" is not a study setting (no "${k}")`);
    o = o[k] as Record<string, unknown>;
  });
  const last = keys[keys.length - 1]!;
  if (['__proto__', 'constructor', 'prototype'].includes(last))
    throw new AppError('invalid-sweep', `"${path}" is not a study setting`);
  o[last] = value;
}

/** The most runs one sweep may create. */
export const MAX_SWEEP_RUNS = 10_000;

/**
 * One study per combination of the swept settings (cartesian product), each validated and named
 * after its setting, e.g. "origin [optimizer.learningRate=0.003, sampling.seed=2]".
 */
export function expandSweep(
  study: StudySpec,
): Array<{ study: StudySpec; point: Record<string, SweepValue> }> {
  const sweep = study.sweep ?? [];
  // Counted before anything is built: 1000⁴ combinations must be refused, not expanded.
  const count = sweep.reduce((n, axis) => n * axis.values.length, 1);
  if (count > MAX_SWEEP_RUNS)
    throw new AppError(
      'too-large',
      `The sweep has ${count.toLocaleString('en')} combinations (${sweep.map((a) => a.values.length).join(' × ')}); at most ${MAX_SWEEP_RUNS.toLocaleString('en')} run at once: sweep fewer values or split the study`,
    );
  let points: Array<Record<string, SweepValue>> = [{}];
  for (const axis of sweep)
    points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.path]: v })));
  return points.map((point) => {
    const copy = structuredClone(study) as Record<string, unknown>;
    delete copy.sweep;
    for (const [path, value] of Object.entries(point)) setPath(copy, path, value);
    const label = Object.entries(point)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    copy.name = label ? `${study.name} [${label}]` : study.name;
    copy.sweepPoint = point;
    return { study: parseStudy(copy), point };
  });
}

/**
 * Shard i of n (1-based): every n-th item starting at the i-th, so shards of a job array split the
 * sweep evenly.
 */
export function shardOf<T>(items: readonly T[], spec: string): T[] {
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  if (!m) throw new AppError('invalid-sweep', `--shard takes i/n, e.g. 1/4, not "${spec}"`);
  const i = Number(m[1]),
    n = Number(m[2]);
  if (!(n >= 1 && i >= 1 && i <= n))
    throw new AppError('invalid-sweep', `--shard ${spec}: need 1 ≤ i ≤ n`);
  return items.filter((_, k) => k % n === i - 1);
}
