import { readFileSync } from 'node:fs';
import { generateDataset } from '../../engine/dataset';
import { EngineError } from '../../engine/errors';
import { importMeasured } from '../../engine/measured';
import { withAccelerationNoise } from '../../engine/noise';
import type { StudyResults } from '../../../src-shared/dto/results';
import type { StudySpec } from '../../../src-shared/study/study-schema';
import type { StudyDataset } from './context';

/** The study's data: imported measurements, or samples of the true system in its window. */
export function dataPhase(study: StudySpec): {
  dataset: StudyDataset;
  imported?: StudyResults['imported'];
} {
  if (!study.measured) return { dataset: sampledData(study, study.sampling) };
  const { file, ...spec } = study.measured;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EngineError('invalid-csv', `Cannot read ${file}: ${(err as Error).message}`);
  }
  const { samples, report } = importMeasured(text, spec);
  const n = samples.q[0]!.length;
  return {
    dataset: {
      ...samples,
      n,
      drawn: report.rows,
      rejected: report.rows - n,
      singularDropped: { count: 0 },
    },
    imported: {
      rows: report.rows,
      used: report.used,
      segments: report.segments,
      units: report.units,
      bad: report.bad.slice(0, 100),
      badCount: report.bad.length,
    },
  };
}

/**
 * Samples of the true system in a window, with measured-style noise on q̈ when the sampling
 * asks for it (the clean q̈ stays the truth for error maps; the fit sees the noisy one).
 */
export function sampledData(study: StudySpec, sampling: StudySpec['sampling']): StudyDataset {
  const dataset = generateDataset({
    system: study.system,
    sampling,
    ...(study.trueParameters ? { parameterValues: study.trueParameters } : {}),
  });
  const noise = sampling.accelerationNoise;
  if (!noise || noise.relative === 0) return dataset;
  return { ...dataset, qdd: withAccelerationNoise(dataset.qdd, noise.relative, noise.seed) };
}
