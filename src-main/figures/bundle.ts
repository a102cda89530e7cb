import { SafeFolder } from '../export/safe-folder';
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
): Promise<{ dir: string; files: string[] }> {
  return SafeFolder.runAsync(dir, (out) => writeBundle(details, out, options));
}

async function writeBundle(
  details: readonly RunDetail[],
  out: SafeFolder,
  options: FigureExportOptions,
): Promise<{ dir: string; files: string[] }> {
  const files: string[] = [];
  const figureLinks: string[] = [];
  for (const d of details) {
    const written = await writeFiguresInto(d, out, ['figures'], options);
    for (const w of written) {
      files.push(...w.files);
      const png =
        w.files.find((f) => f.endsWith('.png')) ?? w.files.find((f) => f.endsWith('.svg'));
      if (png) figureLinks.push(`![${d.run.name}: ${w.kind}](figures/${png.split(/[\\/]/).pop()})`);
    }
  }
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
  ].join('\n');
  files.push(out.write(['summary.md'], md));
  return { dir: out.root, files };
}
