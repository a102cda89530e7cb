// npm run bench -- --report-studies: the report's seven studies through the job queue, two at a
// time, as Reproduce the Report runs them; each one's status and results.timings total, and the
// wall time of all of them (docs/performance.md).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appRoot } from '../app-root';
import { JobQueue } from '../jobs/job-queue';
import { ProjectStore } from '../store/project-store';
import { parseStudy } from '../../src-shared/study/study-schema';

export async function benchReportStudies(): Promise<number> {
  const start = performance.now();
  const folder = join(appRoot(), 'resources/studies');
  const studies = readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({
      file,
      study: parseStudy(JSON.parse(readFileSync(join(folder, file), 'utf8'))),
    }))
    .filter(({ study }) => study.reportSection);
  const dir = mkdtempSync(join(tmpdir(), 'lagrange-report-'));
  const store = ProjectStore.open(join(dir, 'report.lsproj'), { create: true });
  const queue = new JobQueue(store);
  try {
    const ids = studies.map(({ study }) => queue.start(study));
    for (const id of ids) await queue.waitFor(id);
    const wall = (performance.now() - start) / 1000;
    ids.forEach((id, i) => {
      const run = store.getRun(id)!;
      const total = run.results?.timings?.total;
      const time = total === undefined ? '' : `${(total / 1000).toFixed(2)} s`;
      console.log(`${studies[i]!.file.padEnd(40)} ${run.status.padEnd(10)} ${time}`);
    });
    console.log(`${studies.length} report studies, 2 at a time: ${wall.toFixed(1)} s wall`);
    return ids.every((id) => store.getRun(id)!.status === 'completed') ? 0 : 1;
  } finally {
    await queue.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
