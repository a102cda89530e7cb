// npm run load — builds a large project (200 runs × 10 000 steps) and times what a user waits for:
// opening it, listing its runs, and loading 10 runs for a comparison. Figures go to
// docs/reliability.md.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandlers } from '../api/handlers';
import { ProjectSession } from '../api/session';
import { ProjectStore } from '../store/project-store';
import { TrainingHistory } from '../engine/training/history';
import { lossCurveOption } from '../../src-shared/charts/training';
import { configTable } from '../../src-shared/figures/compare';
import type { StudySpec } from '../../src-shared/study/study-schema';
import { bundledStudies } from '../study/report-gallery';

const RUNS = Number(process.env.LOAD_RUNS ?? 200);
const STEPS = 10_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time<T>(fn: () => Promise<T> | T, runs = 5): Promise<{ ms: number; result: T }> {
  let result = await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await fn();
    t.push(performance.now() - t0);
  }
  return { ms: median(t), result };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lagrange-load-'));
  const path = join(dir, 'large.lsproj');
  const t0 = performance.now();
  const store = ProjectStore.open(path, { create: true });
  const template = bundledStudies()[0]!.study;
  for (let r = 0; r < RUNS; r++) {
    const config: StudySpec = {
      ...template,
      name: `run ${r}`,
      optimizer: { algorithm: r % 2 ? 'adam' : 'gd', learningRate: 10 ** -(1 + (r % 4)) },
      sampling: { ...template.sampling, seed: r },
    };
    const id = store.createRun(`run ${r}`, config, { seed: r, maxSteps: STEPS });
    const history = new TrainingHistory(2000);
    for (let s = 0; s <= STEPS; s++)
      history.record(
        s,
        10 * Math.exp(-s / 2000) + 1e-6 * r,
        [4 - 3 * Math.exp(-s / 500), 1 - 0.8 * Math.exp(-s / 100)],
        [1e-3, 1e-4],
      );
    const snap = history.snapshot();
    store.finishRun(id, {
      status: 'completed',
      message: `completed ${STEPS} steps`,
      results: {
        model: { parameterNames: ['k', 'alpha'] },
        training: { parameters: [4, 1], msPerStep: 0.5 },
      },
      history: snap,
      checkpoint: { step: STEPS },
      finalLoss: snap.loss.at(-1)!,
      bestLoss: snap.loss.at(-1)!,
      step: STEPS,
    });
  }
  store.close();
  const buildMs = performance.now() - t0;
  const sizeMiB = statSync(path).size / 2 ** 20;

  const open = await time(() => {
    const s = ProjectStore.open(path);
    s.close();
  });
  const session = new ProjectSession();
  await session.open(path);
  const handlers = createHandlers(session, 'http');
  const list = await time(() => handlers['runs:list']({}));
  const ids = list.result.slice(0, 10).map((r) => r.id);
  const compare = await time(async () => {
    const details = await Promise.all(ids.map((id) => handlers['runs:get']({ id })));
    lossCurveOption(
      details.map((d) => ({ name: d.run.name, steps: d.metrics.steps, values: d.metrics.loss })),
    );
    configTable(
      details.map((d) => d.run.config),
      true,
    );
    return details;
  });
  await session.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `project: ${RUNS} runs × ${STEPS} steps (≤ 2000 stored records each), ${sizeMiB.toFixed(1)} MiB, built in ${(buildMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `open (integrity check, migrations, interrupted-run sweep): ${open.ms.toFixed(1)} ms (target < 1000)`,
  );
  console.log(`runs list (${list.result.length} runs): ${list.ms.toFixed(1)} ms (target < 200)`);
  console.log(
    `compare 10 runs (load metrics, build overlay and config table): ${compare.ms.toFixed(1)} ms, ${compare.result.reduce((n, d) => n + d.metrics.steps.length, 0)} points`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
