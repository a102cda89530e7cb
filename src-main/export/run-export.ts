import { hostname } from 'node:os';
import type { RunDetail } from '../../src-shared/dto/runs';
import { slug } from '../../src-shared/charts/export';
import { fitData, type FitData } from '../study/phases/data';
import { npy, npyMatrix, npz } from './npy';
import { tfevents, tfeventsName } from './tfevents';
import { SafeFolder, safeFileName } from './safe-folder';

export const EXPORT_FORMATS = ['csv', 'tsv', 'npy', 'npz', 'tfevents', 'mlflow'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `run-<id>-<name>`: the id keeps runs that share a name apart. */
export const runFolder = (detail: RunDetail) =>
  `run-${detail.run.id}-${slug(detail.run.name, 'run')}`;

/** The run's parameter names (p0, p1, … when it has no readable results). */
function parameterNames(detail: RunDetail): string[] {
  const width = detail.metrics.parameters[0]?.length ?? 0;
  return (
    detail.run.results?.model.parameterNames.slice(0, width) ??
    Array.from({ length: width }, (_, i) => `p${i}`)
  );
}

/** Tidy metrics: one row per recorded step. */
function metricsTable(detail: RunDetail, separator: string): string {
  const names = parameterNames(detail);
  const m = detail.metrics;
  const header = ['step', 'loss', ...names, ...names.map((n) => `grad_${n}`)];
  const rows = m.steps.map((step, i) =>
    [step, m.loss[i], ...(m.parameters[i] ?? []), ...(m.gradients[i] ?? [])].join(separator),
  );
  return `${[header.join(separator), ...rows].join('\n')}\n`;
}

/**
 * The data the run was fitted to, regenerated from its recipe (same seed, same points, and the
 * same q̈ noise when the study adds it); null for measured data, which lives in its CSV.
 */
function dataset(detail: RunDetail): FitData | null {
  if (detail.run.damage) return null;
  try {
    return fitData(detail.run.config);
  } catch {
    return null; // a measured file that is gone: the export has no dataset
  }
}

/** Arrays of one run by name: metrics, the dataset (q, q̇, q̈ as n × d), grids with their axes. */
function arrays(detail: RunDetail): Record<string, Buffer> {
  const m = detail.metrics;
  const out: Record<string, Buffer> = {
    steps: npy(m.steps, [m.steps.length]),
    loss: npy(m.loss, [m.loss.length]),
    parameters: npyMatrix(m.parameters),
    gradients: npyMatrix(m.gradients),
  };
  const data = dataset(detail);
  if (data)
    for (const [key, columns] of [
      ['q', data.q],
      ['qd', data.qd],
      ['qdd', data.qdd],
    ] as const)
      out[`dataset_${key}`] = npyMatrix(
        Array.from({ length: data.n }, (_, s) => columns.map((c) => c[s]!)),
      );
  for (const g of detail.grids) {
    const key = `grid_${g.kind.replace(/-/g, '_')}`;
    out[key] = npy(g.data, [g.ny, g.nx]);
    out[`${key}_x`] = npy(g.meta.xValues, [g.meta.xValues.length]);
    out[`${key}_y`] = npy(g.meta.yValues, [g.meta.yValues.length]);
  }
  return out;
}

/** q, q̇, q̈ as a table: one row per sample, full float64 precision. */
/**
 * The data a fit used as a table: q, q̇, q̈ (for imported trajectories, the time first and the
 * Savitzky–Golay estimates of q̇ and q̈).
 */
export function datasetTable(data: FitData, separator = ','): string {
  const { coordinates, velocities } = data;
  const header = [
    ...(data.t ? ['t'] : []),
    ...coordinates,
    ...velocities,
    ...coordinates.map((c) => `${c}_ddot`),
  ];
  const columns = [...(data.t ? [data.t] : []), ...data.q, ...data.qd, ...data.qdd];
  const rows = Array.from({ length: data.n }, (_, s) =>
    columns.map((c) => c[s]!.toPrecision(17)).join(separator),
  );
  return `${[header.join(separator), ...rows].join('\n')}\n`;
}

/** The study's settings as dotted keys (MLflow params). */
function flatten(value: unknown, prefix = ''): Record<string, string> {
  if (value === null || typeof value !== 'object') return { [prefix || 'value']: String(value) };
  return Object.entries(value as Record<string, unknown>).reduce<Record<string, string>>(
    (acc, [k, v]) => ({ ...acc, ...flatten(v, prefix ? `${prefix}.${k}` : k) }),
    {},
  );
}

/** MLflow's file store: mlruns/0/<run id>/{meta.yaml, params/, tags/, metrics/}, names encoded. */
function writeMlflow(detail: RunDetail, out: SafeFolder, startMs: number): void {
  const runDir = ['mlruns', '0', String(detail.run.id)];
  const put = (folder: string, name: string, text: string) =>
    out.write([...runDir, folder, safeFileName(name)], text);
  out.write(
    [...runDir, 'meta.yaml'],
    `artifact_uri: ./artifacts\nexperiment_id: '0'\nlifecycle_stage: active\nrun_id: '${detail.run.id}'\nrun_name: ${JSON.stringify(detail.run.name)}\nstart_time: ${startMs}\nstatus: 3\n`,
  );
  for (const [k, v] of Object.entries(flatten(detail.run.config)))
    if (!k.startsWith('system.lagrangian') && k !== '$schema' && v.length <= 500)
      put('params', k, v);
  put('tags', 'mlflow.runName', detail.run.name);
  const m = detail.metrics;
  const names = parameterNames(detail);
  const series: Record<string, number[]> = { loss: m.loss };
  names.forEach((n, i) => (series[`param.${n}`] = m.parameters.map((p) => p[i]!)));
  for (const [name, values] of Object.entries(series))
    put('metrics', name, `${values.map((v, i) => `${startMs} ${v} ${m.steps[i]}`).join('\n')}\n`);
}

/**
 * Write runs as tidy data for Python, TensorBoard and MLflow: per run a folder with metrics
 * (CSV/TSV), arrays (.npy, or one .npz), the regenerated dataset; TensorBoard event files under
 * `tensorboard/`; MLflow run folders under `mlruns/0/`. Returns the files written.
 */
export function exportRuns(
  details: readonly RunDetail[],
  dir: string,
  formats: readonly ExportFormat[],
): string[] {
  return SafeFolder.run(dir, (out) => {
    for (const detail of details) writeRun(detail, out, formats);
    return out.files;
  });
}

function writeRun(detail: RunDetail, out: SafeFolder, formats: readonly ExportFormat[]): void {
  const folder = runFolder(detail);
  const write = (name: string, data: string | Buffer) => out.write([folder, name], data);
  const startMs = Date.parse(detail.run.startedAt ?? detail.run.createdAt);
  for (const format of formats) {
    if (format === 'csv' || format === 'tsv') {
      const sep = format === 'csv' ? ',' : '\t';
      write(`metrics.${format}`, metricsTable(detail, sep));
      const data = dataset(detail);
      if (data) write(`dataset.${format}`, datasetTable(data, sep));
    } else if (format === 'npy') {
      for (const [name, buffer] of Object.entries(arrays(detail)))
        write(`${safeFileName(name)}.npy`, buffer);
    } else if (format === 'npz') write('run.npz', npz(arrays(detail)));
    else if (format === 'tfevents') {
      const names = parameterNames(detail);
      const m = detail.metrics;
      const events = m.steps.map((step, i) => ({
        step,
        wallTime: startMs / 1000,
        values: {
          loss: m.loss[i]!,
          ...Object.fromEntries(names.map((n, k) => [`parameters/${n}`, m.parameters[i]![k]!])),
        },
      }));
      out.write(
        ['tensorboard', folder, safeFileName(tfeventsName(startMs / 1000, hostname()))],
        tfevents(events, startMs / 1000),
      );
    } else writeMlflow(detail, out, startMs);
  }
  write('study.json', `${JSON.stringify(detail.run.config, null, 2)}\n`);
}
