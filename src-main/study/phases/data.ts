import { constants } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { generateDataset, type Dataset } from '../../engine/dataset';
import { EngineError, throwIfStopped, type StopCheck } from '../../engine/errors';
import { importMeasured } from '../../engine/measured';
import { maxMeasuredBytes } from '../measured-limit';
import { withAccelerationNoise } from '../../engine/noise';
import type { StudyResults } from '../../../src-shared/dto/results';
import type { StudySpec } from '../../../src-shared/study/study-schema';
import type { PhaseSamples } from '../../engine/training/samples';
import type { StudyDataset } from './context';

/** The study's data: imported measurements, or samples of the true system in its window. */
export function dataPhase(
  study: StudySpec,
  shouldStop?: StopCheck,
  onProgress?: (fraction: number) => void,
): {
  dataset: StudyDataset;
  imported?: StudyResults['imported'];
} {
  if (!study.measured)
    return { dataset: sampledData(study, study.sampling, shouldStop, onProgress) };
  const { file, ...spec } = study.measured;
  const text = readMeasuredFile(file, shouldStop);
  const { samples, report } = importMeasured(text, spec, shouldStop);
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

/** The data a fit used, as a table: the study's names, and the time for imported trajectories. */
export type FitData = PhaseSamples & {
  readonly coordinates: readonly string[];
  readonly velocities: readonly string[];
  readonly n: number;
};

/**
 * The data the study's fit used: the sampled points (regenerated from the recipe: same seed, same
 * q̈ noise) or the imported measurements with their derivative estimates and times.
 */
export function fitData(study: StudySpec): FitData {
  if (!study.measured) return sampledData(study, study.sampling);
  const { dataset } = dataPhase(study);
  return {
    ...dataset,
    coordinates: study.system.coordinates,
    velocities: study.system.velocities,
  };
}

/**
 * Samples of the true system in a window, with measured-style noise on q̈ when the sampling
 * asks for it (the clean q̈ stays the truth for error maps; the fit sees the noisy one).
 */
export function sampledData(
  study: StudySpec,
  sampling: StudySpec['sampling'],
  shouldStop?: StopCheck,
  onProgress?: (fraction: number) => void,
): Dataset {
  const dataset = generateDataset(
    {
      system: study.system,
      sampling,
      ...(study.trueParameters ? { parameterValues: study.trueParameters } : {}),
    },
    { ...(shouldStop ? { shouldStop } : {}), ...(onProgress ? { onProgress } : {}) },
  );
  const noise = sampling.accelerationNoise;
  if (!noise || noise.relative === 0) return dataset;
  return { ...dataset, qdd: withAccelerationNoise(dataset.qdd, noise.relative, noise.seed) };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** Bytes read between two stop checks (a 1 GiB file: 64 checks, each well under a second). */
const READ_CHUNK_BYTES = 16 * 2 ** 20;

/**
 * A measured-data file's text. Only a regular file under the size cap is opened: a device
 * (/dev/zero), a FIFO (which would block forever) or a folder is refused by its kind, before any
 * read; nothing of the file's content is quoted in these messages. The file is read in chunks,
 * with a stop check between them, and never past the size it had when opened.
 */
export function readMeasuredFile(file: string, shouldStop?: StopCheck): string {
  checkMeasuredFile(file, statSync);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new EngineError('invalid-csv', `Cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    // Checked again on the open file: it may have been replaced since the first look.
    const size = checkMeasuredFile(file, () => fstatSync(fd));
    const bytes = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      throwIfStopped(shouldStop, 'Reading the measured-data file');
      const n = readSync(fd, bytes, done, Math.min(READ_CHUNK_BYTES, size - done), done);
      if (n === 0) break; // the file shrank while being read
      done += n;
    }
    return bytes.subarray(0, done).toString('utf8');
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new EngineError('invalid-csv', `Cannot read ${file}: ${(err as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/** The file's size, when it is a regular file under the cap; a clear refusal otherwise. */
function checkMeasuredFile(file: string, stat: (file: string) => import('node:fs').Stats): number {
  let info;
  try {
    info = stat(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'ENOTDIR'
            ? 'a part of the path is not a folder'
            : (code ?? 'error');
    throw new EngineError('bad-path', `Cannot read the measured-data file ${file}: ${why}`);
  }
  if (!info.isFile()) {
    const kind = info.isDirectory()
      ? 'a folder'
      : info.isFIFO()
        ? 'a pipe (FIFO)'
        : 'a device or special file';
    throw new EngineError(
      'bad-path',
      `The measured-data file ${file} is ${kind}, not a regular file`,
    );
  }
  const cap = maxMeasuredBytes();
  if (info.size > cap)
    throw new EngineError(
      'too-large',
      `The measured-data file ${file} has ${info.size} bytes; the limit is ${cap} (LAGRANGE_MAX_MEASURED_BYTES)`,
    );
  // The text becomes one JavaScript string: past V8's longest (about 512 MiB) the read would
  // fail after minutes with an internal message (issue 32.7), so it is refused before reading.
  if (info.size > constants.MAX_STRING_LENGTH)
    throw new EngineError(
      'too-large',
      `The measured-data file ${file} has ${mib(info.size)}; files up to ${mib(constants.MAX_STRING_LENGTH)} can be read: split it, or keep every k-th row`,
    );
  return info.size;
}
