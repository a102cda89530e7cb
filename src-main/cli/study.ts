// npm run study -- STUDY.json [--project FILE] [--out RESULT.json] [--dataset-csv FILE] [--figures
// DIR]
// Runs a study headless through the same job queue (worker thread) and project store as the app.
import { discoveryLines } from './discovery-summary';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateDataset, type Dataset } from '../engine/dataset';
import { JobQueue } from '../jobs/job-queue';
import { ProjectStore } from '../store/project-store';
import type { StudyResults } from '../study/run-study';
import { parseStudy } from '../../src-shared/study/study-schema';
import { expandSweep, shardOf } from '../study/sweep';

const USAGE =
  'usage: npm run study -- STUDY.json [--project FILE] [--out RESULT.json] [--dataset-csv FILE] [--figures DIR [--dpi 300]] [--checkpoint-seconds 2] [--shard i/n]';

export function datasetCsv(d: Dataset): string {
  const header = [...d.coordinates, ...d.velocities, ...d.coordinates.map((c) => `${c}_ddot`)].join(
    ',',
  );
  const cols = [...d.q, ...d.qd, ...d.qdd];
  const lines = [header];
  for (let s = 0; s < d.n; s++) lines.push(cols.map((c) => c[s]!.toPrecision(17)).join(','));
  return `${lines.join('\n')}\n`;
}

export function formatSummary(name: string, r: StudyResults): string {
  const fmt = (v: number) =>
    Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toFixed(6) : v.toExponential(4);
  const names = r.model.parameterNames;
  const lines = [
    `study: ${name}`,
    `backend: ${r.backend}; data: ${r.dataset.n} points (${r.dataset.drawn} drawn, ${r.dataset.rejected} rejected); model: ${r.model.family}, ${names.length} parameters, route ${r.model.route}`,
    `training: ${r.training.status} — ${r.training.message}; ${r.training.msPerStep.toFixed(3)} ms/step`,
    `loss: final ${fmt(r.training.finalLoss)}, best ${fmt(r.training.bestLoss)}`,
  ];
  if (r.discovery) lines.push(...discoveryLines(r.discovery));
  else if (names.length <= 12)
    lines.push(
      `fitted: ${names.map((n, i) => `${n} = ${fmt(r.training.parameters[i]!)}`).join(', ')}`,
    );
  if (r.ratios)
    lines.push(
      `fitted/true: ${Object.entries(r.ratios)
        .map(([n, v]) => `${n} ${v.toFixed(6)}`)
        .join(', ')}`,
    );
  if (r.exact) {
    lines.push(
      `exact solve: loss ${fmt(r.exact.loss)}, rank ${r.exact.rank}, condition ${fmt(r.exact.effectiveConditionNumber)}${names.length <= 12 ? `; ${names.map((n, i) => `${n} = ${fmt(r.exact!.parameters[i]!)}`).join(', ')}` : ''}`,
    );
  }
  if (r.identifiability)
    lines.push(
      `loss Hessian: eigenvalues ${r.identifiability.eigenvalues.map(fmt).join(', ')}; condition ${fmt(r.identifiability.conditionNumber)}; GD stable for lr < ${fmt(r.identifiability.maxStableLearningRate)}`,
    );
  if (r.landscape)
    lines.push(
      `landscape (${r.landscape.path}, ${r.landscape.precision}): minimum at ${r.landscape.x} = ${fmt(r.landscape.minimum.x)}, ${r.landscape.y} = ${fmt(r.landscape.minimum.y)}`,
    );
  if (r.roughness)
    lines.push(
      `landscape precision: float32 general vs float64 exact differ by ${fmt(r.roughness.medianRelativeDifference)} (median), ${fmt(r.roughness.maxRelativeDifference)} (max) relative`,
    );
  if (r.rollout)
    lines.push(
      `rollout: max |q_fit − q_true| ${fmt(r.rollout.maxDeviation)}; energy drift ${fmt(r.rollout.energyDriftFit)} (truth ${fmt(r.rollout.energyDriftTruth)})`,
    );
  if (r.validation)
    lines.push(
      `validation: mean squared error ${fmt(r.validation.validation.meanSquared)} vs training ${fmt(r.validation.training.meanSquared)} (×${fmt(r.validation.ratio)})`,
    );
  if (r.fixedPoints)
    lines.push(
      `fixed points: ${r.fixedPoints.map((f) => `(${f.q.map((x) => x.toFixed(6)).join(', ')}) ${f.stability}`).join('; ') || 'none in the window'}`,
    );
  return lines.join('\n');
}

function progressBar(fraction: number, text: string): string {
  const width = 30;
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${text}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const file = args.find(
    (a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1]!.startsWith('--')),
  );
  if (!file) {
    console.error(USAGE);
    process.exit(2);
  }
  let study;
  try {
    study = parseStudy(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    console.error(`${file}: ${(err as Error).message}`);
    process.exit(2);
  }
  const projectPath = resolve(
    arg('--project') ?? join(mkdtempSync(join(tmpdir(), 'lagrange-study-')), 'study.lsproj'),
  );
  const store = ProjectStore.open(projectPath, { create: true });
  const queue = new JobQueue(store, {
    progressIntervalMs: 200,
    checkpointIntervalMs: Number(arg('--checkpoint-seconds') ?? 2) * 1000,
  });
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  queue.on('progress', (p) => {
    const eta = p.etaSeconds !== null ? `, ${p.etaSeconds.toFixed(0)} s left` : '';
    const text =
      p.phase === 'training'
        ? `step ${p.step}/${p.maxSteps}, loss ${p.loss?.toExponential(3) ?? '…'}${eta}`
        : p.phase;
    if (tty) process.stderr.write(`\r${progressBar(p.fraction, text)}\x1b[K`);
    else if (Math.floor(p.fraction * 10) > lastDecile || p.phase !== 'training') {
      lastDecile = Math.floor(p.fraction * 10);
      process.stderr.write(`${progressBar(p.fraction, text)}\n`);
    }
  });
  const stop = () => {
    for (const j of queue.list()) queue.cancel(j.runId);
  };
  process.on('SIGINT', stop);
  if (study.sweep) {
    // A sweep: every combination (or this shard's share) runs in parallel workers.
    const all = expandSweep(study);
    const mine = arg('--shard') ? shardOf(all, arg('--shard')!) : all;
    console.log(
      `sweep: ${all.length} runs${arg('--shard') ? `, shard ${arg('--shard')}: ${mine.length}` : ''}`,
    );
    const ids = mine.map((s) => queue.start(s.study));
    await Promise.all(ids.map((id) => queue.waitFor(id)));
    if (tty) process.stderr.write('\n');
    await queue.close();
    for (const [k, id] of ids.entries()) {
      const r = store.getRun(id)!;
      const res = r.results;
      console.log(
        `${r.status.padEnd(10)} ${Object.entries(mine[k]!.point)
          .map(([p, v]) => `${p}=${v}`)
          .join(
            ' ',
          )}  final loss ${r.finalLoss?.toExponential(4) ?? '—'}${res && res.model.parameterNames.length <= 4 ? `  ${res.model.parameterNames.map((n, i) => `${n}=${res.training.parameters[i]!.toPrecision(7)}`).join(' ')}` : ''}`,
      );
    }
    console.log(`project: ${projectPath}`);
    store.close();
    return;
  }
  const runId = queue.start(study);
  const status = await queue.waitFor(runId);
  if (tty) process.stderr.write('\n');
  const run = store.getRun(runId)!;
  await queue.close();
  if (status === 'failed') {
    console.error(`failed: ${run.message}`);
    store.close();
    process.exit(1);
  }
  const results = run.results;
  if (!results) {
    console.error(`run ${runId} has no readable results${run.damage ? ` (${run.damage})` : ''}`);
    store.close();
    process.exit(1);
  }
  console.log(formatSummary(study.name, results));
  console.log(`project: ${projectPath} (run ${runId})`);
  const out = arg('--out');
  if (out) {
    writeFileSync(
      out,
      JSON.stringify(
        { study, runId, project: projectPath, results, metrics: store.metrics(runId) },
        null,
        2,
      ),
    );
    console.log(`results: ${out}`);
  }
  const csv = arg('--dataset-csv');
  if (csv) {
    // The recipe regenerates the dataset exactly (same seed, same points).
    writeFileSync(
      csv,
      datasetCsv(
        generateDataset({
          system: study.system,
          sampling: study.sampling,
          ...(study.trueParameters ? { parameterValues: study.trueParameters } : {}),
        }),
      ),
    );
    console.log(`dataset: ${csv}`);
  }
  const figuresDir = arg('--figures');
  if (figuresDir) {
    const { writeRunFigures } = await import('../figures/render');
    const written = await writeRunFigures(store.detail(runId)!, resolve(figuresDir), {
      dpi: Number(arg('--dpi') ?? 300),
    });
    console.log(
      `figures: ${written.length} in ${figuresDir} (${written.map((w) => w.kind).join(', ')})`,
    );
  }
  store.close();
}

if (process.argv[1] && /study\.(ts|js)$/.test(process.argv[1])) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
