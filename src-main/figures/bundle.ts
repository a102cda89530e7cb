import { SafeFolder } from '../export/safe-folder';
import { AppError, messageOf } from '../../src-shared/errors';
import type { RunDetail } from '../../src-shared/api/contract';

import { configTable } from '../../src-shared/figures/compare';
import { formatMetric } from '../../src-shared/charts/format';
import { writeFiguresInto, type FigureExportOptions } from './render';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * A report bundle: every run's figures (in the chosen style and formats) and summary.md with
 * configuration and metrics tables.
 */
export async function writeReportBundle(
  details: readonly RunDetail[],
  dir: string,
  options: FigureExportOptions = {},
): Promise<{ dir: string; files: string[]; skipped: string[] }> {
  return SafeFolder.runAsync(dir, (out) => writeBundle(details, out, options));
}

async function writeBundle(
  all: readonly RunDetail[],
  out: SafeFolder,
  options: FigureExportOptions,
): Promise<{ dir: string; files: string[]; skipped: string[] }> {
  const files: string[] = [];
  const figureLinks: string[] = [];
  // One damaged run (unreadable study or results) is named, not the end of the bundle (32.14).
  const skipped: string[] = [];
  const healthy: RunDetail[] = [];
  for (const d of all) {
    let written;
    try {
      if (d.run.damage) throw new Error(d.run.damage);
      written = await writeFiguresInto(d, out, ['figures'], options);
    } catch (err) {
      if (err instanceof AppError && err.code !== 'internal') throw err; // disk, paths: the export's
      skipped.push(`run #${d.run.id} "${d.run.name}": ${messageOf(err)}`);
      continue;
    }
    healthy.push(d);
    for (const w of written) {
      files.push(...w.files);
      const png =
        w.files.find((f) => f.endsWith('.png')) ?? w.files.find((f) => f.endsWith('.svg'));
      if (png) figureLinks.push(`![${d.run.name}: ${w.kind}](figures/${png.split(/[\\/]/).pop()})`);
    }
  }
  if (healthy.length === 0)
    throw new AppError('export-failed', `No run could be drawn: ${skipped.join('; ')}`);
  const details = healthy;
  const header = `| | ${details.map((d) => `#${d.run.id} ${cell(d.run.name)}`).join(' | ')} |\n|---|${details.map(() => '---').join('|')}|`;
  const metricRows: Array<[string, (d: RunDetail) => string]> = [
    ['status', (d) => d.run.status],
    ['steps', (d) => String(d.run.step)],
    ['final loss', (d) => formatMetric(d.run.finalLoss)],
    ['best loss', (d) => formatMetric(d.run.bestLoss)],
    ['exact-solve loss', (d) => formatMetric(d.run.results?.exact?.loss)],
    [
      'fitted',
      (d) => {
        const r = d.run.results;
        if (!r || r.model.parameterNames.length > 8) return '—';
        return r.model.parameterNames
          .map((n, i) => `${n} = ${formatMetric(r.training.parameters[i])}`)
          .join(', ');
      },
    ],
    ['ms per step', (d) => formatMetric(d.run.results?.training.msPerStep)],
    ['backend', (d) => d.run.backend ?? '—'],
  ];
  const config = configTable(
    details.map((d) => d.run.config),
    details.length > 1,
  );
  const md = [
    `# Lagrange Studio report`,
    '',
    `${details.length} run(s), exported ${new Date().toISOString()}.`,
    '',
    '## Metrics',
    '',
    header,
    ...metricRows.map(([name, f]) => `| ${name} | ${details.map((d) => cell(f(d))).join(' | ')} |`),
    '',
    `## Configuration${details.length > 1 ? ' (differences only)' : ''}`,
    '',
    header,
    ...config.map((row) => `| ${cell(row.key)} | ${row.values.map(cell).join(' | ')} |`),
    '',
    '## Figures',
    '',
    ...figureLinks.flatMap((l) => [l, '']),
    ...(skipped.length
      ? ['## Not exported', '', ...skipped.map((s) => `- ${cell(s)} (damaged)`), '']
      : []),
  ].join('\n');
  files.push(out.write(['summary.md'], md));
  return { dir: out.root, files, skipped };
}
