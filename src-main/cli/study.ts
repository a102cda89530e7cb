// npm run study -- STUDY.json [--project FILE] [--out RESULT.json] [--dataset-csv FILE] [--figures
// DIR]
// Runs a study headless through the same job queue (worker thread) and project store as the app.
import { COMMAND_SUMMARIES } from './command-list';
import { formatTimings } from './timings-summary';
import { unidentifiableDirection } from '../../src-shared/figures/identifiability';
import { colourMapOption, figureFormatsOption, figureStyleOption } from './figure-options';
import type { FigureExportOptions } from '../figures/render';
import type { ExportRequest, FiguresReply } from '../jobs/export-worker';
import { discoveryLines, learnedLines } from './discovery-summary';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { toStoredJson } from '../../src-shared/dto/non-finite';
import {
  numberOption,
  runCommand,
  stringOption,
  UsageError,
  type Command,
  type ParsedArgs,
  exitAfterOutput,
} from './args';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatNumber } from '../../src-shared/charts/format';
import { JobQueue } from '../jobs/job-queue';
import { ProjectStore } from '../store/project-store';
import type { StudyResults } from '../study/run-study';
import type { StudySpec } from '../../src-shared/study/study-schema';
import { storedStudy } from '../store/records';
import { readStudyFile } from '../study/study-file';
import { expandSweep, shardOf } from '../study/sweep';

export function formatSummary(study: StudySpec, r: StudyResults): string {
  const name = study.name;
  const names = r.model.parameterNames;
  const lines = [
    `study: ${name}`,
    `backend: ${r.backend}; data: ${r.dataset.n} points (${r.dataset.drawn} drawn${droppedText(r.dataset)}); model: ${r.model.family}, ${names.length} parameters, route ${r.model.route}`,
    `training: ${r.training.status} — ${r.training.message}; ${r.training.msPerStep.toFixed(3)} ms/step`,
    `loss: final ${formatNumber(r.training.finalLoss)}, best ${formatNumber(r.training.bestLoss)}`,
  ];
  lines.push(...learnedLines(study, r));
  if (r.discovery) lines.push(...discoveryLines(r.discovery));
  else if (names.length <= 12)
    lines.push(
      `fitted: ${names.map((n, i) => `${n} = ${formatNumber(r.training.parameters[i]!)}`).join(', ')}`,
    );
  if (r.ratios)
    lines.push(
      `fitted/true: ${Object.entries(r.ratios)
        .map(([n, v]) => `${n} ${Number.isFinite(v) ? v.toFixed(6) : 'n/a (true value 0)'}`)
        .join(', ')}`,
    );
  if (r.exact) {
    lines.push(
      `exact solve: loss ${formatNumber(r.exact.loss)}, rank ${r.exact.rank}, condition ${formatNumber(r.exact.effectiveConditionNumber)}${names.length <= 12 ? `; ${names.map((n, i) => `${n} = ${formatNumber(r.exact!.parameters[i]!)}`).join(', ')}` : ''}`,
    );
  }
  const unidentifiable = unidentifiableDirection(r);
  if (unidentifiable)
    lines.push(
      `condition ∞: the loss does not depend on ${unidentifiable.direction} (unidentifiable; e.g. a total time derivative)`,
    );
  if (r.identifiability)
    lines.push(
      `loss Hessian: eigenvalues ${r.identifiability.eigenvalues.map(formatNumber).join(', ')}; condition ${formatNumber(r.identifiability.conditionNumber)}; GD stable for lr < ${formatNumber(r.identifiability.maxStableLearningRate)}`,
    );
  if (r.landscape)
    lines.push(
      `landscape (${r.landscape.path}, ${r.landscape.precision}): grid minimum at ${r.landscape.x} = ${formatNumber(r.landscape.minimum.x)}, ${r.landscape.y} = ${formatNumber(r.landscape.minimum.y)}${gridSpacing(study)} — a node of the grid, not an estimate`,
    );
  if (r.roughness)
    lines.push(
      `landscape precision: float32 general vs float64 exact differ by ${formatNumber(r.roughness.medianRelativeDifference)} (median), ${formatNumber(r.roughness.maxRelativeDifference)} (max) relative`,
    );
  if (r.rollout)
    lines.push(
      `rollout: max |q_fit − q_true| ${formatNumber(r.rollout.maxDeviation)}; energy drift ${formatNumber(r.rollout.energyDriftFit)} (truth ${formatNumber(r.rollout.energyDriftTruth)})`,
    );
  if (r.validation)
    lines.push(
      `validation: mean squared error ${formatNumber(r.validation.validation.meanSquared)} vs training ${formatNumber(r.validation.training.meanSquared)} (×${formatNumber(r.validation.ratio)})`,
    );
  if (r.fixedPoints)
    lines.push(
      `fixed points: ${r.fixedPoints.map((f) => `(${f.q.map((x) => x.toFixed(6)).join(', ')}) ${f.stability}`).join('; ') || 'none in the window'}`,
    );
  if (r.fixedPointsFit)
    lines.push(
      `fixed points of the fit: ${r.fixedPointsFit.map((f) => `(${f.q.map((x) => x.toFixed(6)).join(', ')}) ${f.stability}`).join('; ') || 'none in the window'}`,
    );
  for (const note of r.notes ?? []) lines.push(`note: ${note}`);
  return lines.join('\n');
}

/** Every dropped point by cause: "; dropped 120 in exclusion bands, 462 (singular mass matrix)". */
function droppedText(d: StudyResults['dataset']): string {
  if (!d.dropped) return `, ${d.rejected} rejected`;
  const parts = [
    [d.dropped.exclusionBand, 'in exclusion bands'],
    [d.dropped.halfPlane, 'outside half-planes'],
    [d.dropped.singularMass, 'where the mass matrix is singular'],
  ].filter(([n]) => (n as number) > 0);
  return parts.length === 0
    ? ', none dropped'
    : `; dropped ${parts.map(([n, why]) => `${n as number} ${why as string}`).join(', ')}`;
}

/** "(grid spacing Δk = 0.0402, Δalpha = 0.0101)" for the study's landscape axes. */
function gridSpacing(study: StudySpec): string {
  const l = study.landscape;
  if (!l) return '';
  const step = (a: { min: number; max: number; count: number }) =>
    Number(((a.max - a.min) / (a.count - 1)).toPrecision(3));
  return ` (grid spacing Δ${l.x.parameter} = ${step(l.x)}, Δ${l.y.parameter} = ${step(l.y)})`;
}

function progressBar(fraction: number, text: string): string {
  const width = 30;
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${text}`;
}

export const studyCommand: Command = {
  name: 'study',
  summary: COMMAND_SUMMARIES.study,
  positionals: 'STUDY.json',
  options: {
    project: {
      type: 'string',
      value: 'FILE',
      help: 'project to add the run to (default: a new temporary one)',
    },
    out: {
      type: 'string',
      value: 'FILE',
      help: 'write study, results and metrics as JSON (a sweep: a folder, one file per run and index.json)',
    },
    timings: {
      type: 'boolean',
      help: 'print the wall time of each phase (also in results.timings)',
    },
    'dataset-csv': {
      type: 'string',
      value: 'FILE',
      help: "write the run's dataset (q, q̇, q̈) as CSV (a sweep: a folder)",
    },
    figures: {
      type: 'string',
      value: 'DIR',
      help: 'write every figure of the run (a sweep: one folder per run)',
    },
    dpi: { type: 'string', value: 'N', help: 'PNG resolution for --figures (default 300)' },
    style: {
      type: 'string',
      value: 'NAME',
      help: 'figure style: screen, paper (3.4 in, 8 pt serif), paper-wide (7 in), slides',
    },
    formats: {
      type: 'string',
      value: 'LIST',
      help: 'figure formats: svg,png,pdf,csv (default svg,png,csv)',
    },
    'colour-map': {
      type: 'string',
      value: 'NAME',
      help: 'colour map of landscapes, error maps and |q̈|: viridis (default), cividis, magma',
    },
    'checkpoint-seconds': { type: 'string', value: 'S', help: 'checkpoint interval (default 2)' },
    shard: { type: 'string', value: 'i/n', help: "run this shard's share of a sweep" },
    resume: {
      type: 'string',
      value: 'RUN',
      help: 'continue an interrupted, paused or cancelled run of --project from its checkpoint (no STUDY.json)',
    },
    json: {
      type: 'boolean',
      help: 'print one JSON object with the results on stdout (text goes to stderr)',
    },
  },
  run: runStudyCommand,
};

async function runStudyCommand(args: ParsedArgs): Promise<number> {
  const arg = (name: string) => stringOption(args, name);
  const json = args.values.json === true;
  const say = (text: string) => (json ? console.error(text) : console.log(text));
  const file = args.positionals[0];
  const resumeId =
    arg('resume') === undefined
      ? undefined
      : numberOption(args, 'resume', 0, { integer: true, min: 1 });
  if (resumeId !== undefined) {
    if (file) throw new UsageError('--resume continues a stored run: give no study file');
    if (!arg('project')) throw new UsageError('--resume needs the --project that holds the run');
  } else if (!file || args.positionals.length > 1)
    throw new UsageError(
      file ? `one study file, not ${args.positionals.length}` : 'which study file?',
    );
  const dpi = numberOption(args, 'dpi', 300, { min: 36, max: 2400 });
  // Checked before any project is opened: a typo never leaves a scratch project behind.
  const style = figureStyleOption(arg('style'));
  const formats = figureFormatsOption(arg('formats'));
  const colourMap = colourMapOption(arg('colour-map'));
  const checkpointSeconds = numberOption(args, 'checkpoint-seconds', 2, { min: 0.1, max: 3600 });
  const projectPath = resolve(
    arg('project') ?? join(mkdtempSync(join(tmpdir(), 'lagrange-study-')), 'study.lsproj'),
  );
  const store = ProjectStore.open(projectPath, { create: true });
  let study;
  try {
    const stored = resumeId !== undefined ? store.getRun(resumeId) : undefined;
    if (resumeId !== undefined && !stored)
      throw new UsageError(`${projectPath} has no run ${resumeId}`);
    study = stored ? storedStudy(stored) : readStudyFile(file!);
  } catch (err) {
    store.close();
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${file ?? `run ${resumeId}`}: ${(err as Error).message}`);
  }
  const queue = new JobQueue(store, {
    progressIntervalMs: 200,
    checkpointIntervalMs: checkpointSeconds * 1000,
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
  // A signal stops the runs at their next checkpoint ('interrupted', --resume goes on); two: now.
  let signalled: NodeJS.Signals | null = null;
  const stop = (signal: NodeJS.Signals) => {
    if (signalled) {
      queue.closeNow();
      return;
    }
    signalled = signal;
    process.stderr.write(`\n${signal}: stopping at the next checkpoint (again to stop at once)\n`);
    void queue.close();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const outputs = {
    out: arg('out'),
    csv: arg('dataset-csv'),
    figures: arg('figures'),
    render: { dpi, style, formats, colourMap },
  };
  if (study.sweep) {
    // A sweep: every combination (or this shard's share) runs in parallel workers.
    const all = expandSweep(study);
    const mine = arg('shard') ? shardOf(all, arg('shard')!) : all;
    say(
      `sweep: ${all.length} runs${arg('shard') ? `, shard ${arg('shard')}: ${mine.length}` : ''}`,
    );
    const ids = mine.map((s) => queue.start(s.study));
    await Promise.all(ids.map((id) => queue.waitFor(id)));
    if (tty) process.stderr.write('\n');
    await queue.close();
    const index = [];
    for (const [k, id] of ids.entries()) {
      const r = store.getRun(id)!;
      const res = r.results;
      const point = mine[k]!.point;
      say(
        `${r.status.padEnd(10)} ${Object.entries(point)
          .map(([p, v]) => `${p}=${v}`)
          .join(
            ' ',
          )}  final loss ${r.finalLoss?.toExponential(4) ?? '—'}${res && res.model.parameterNames.length <= 4 ? `  ${res.model.parameterNames.map((n, i) => `${n}=${res.training.parameters[i]!.toPrecision(7)}`).join(' ')}` : ''}`,
      );
      await writeOutputs(store, id, projectPath, perRun(outputs, id), say);
      index.push({ runId: id, status: r.status, point, finalLoss: r.finalLoss, results: res });
    }
    if (outputs.out)
      writeFileSync(
        join(outputs.out, 'index.json'),
        JSON.stringify({ project: projectPath, runs: index }, null, 2),
      );
    say(`project: ${projectPath}`);
    if (json) console.log(toStoredJson({ project: projectPath, runs: index }));
    store.close();
    return index.some((r) => r.status === 'failed') ? 1 : 0;
  }
  let runId: number;
  try {
    runId = resumeId ?? queue.start(study);
    if (resumeId !== undefined) queue.resume(resumeId);
  } catch (err) {
    store.close();
    throw err;
  }
  const status = await queue.waitFor(runId);
  if (tty) process.stderr.write('\n');
  const run = store.getRun(runId)!;
  await queue.close();
  if (status === 'interrupted' || status === 'paused') {
    console.error(`run ${runId} ${run.message}`);
    console.error(`resume: lagrange study --project ${projectPath} --resume ${runId}`);
    store.close();
    return signalled === 'SIGTERM' ? 143 : 130;
  }
  if (status === 'failed') {
    console.error(`failed: ${run.message}`);
    store.close();
    return 1;
  }
  const results = run.results;
  if (!results) {
    console.error(`run ${runId} has no readable results${run.damage ? ` (${run.damage})` : ''}`);
    store.close();
    return 1;
  }
  // Files first: a summary that cannot be printed must not cost the results.
  await writeOutputs(store, runId, projectPath, outputs, say);
  say(formatSummary(study, results));
  if (args.values.timings) say(formatTimings(results));
  say(`project: ${projectPath} (run ${runId})`);
  if (json) console.log(toStoredJson({ project: projectPath, runId, status, results }));
  store.close();
  return 0;
}

interface Outputs {
  readonly out: string | undefined;
  readonly csv: string | undefined;
  readonly figures: string | undefined;
  readonly render: FigureExportOptions;
}

/** A sweep's outputs: --out, --dataset-csv and --figures name folders, one entry per run. */
function perRun(o: Outputs, id: number): Outputs {
  const inFolder = (dir: string | undefined, file: string) => {
    if (!dir) return undefined;
    mkdirSync(dir, { recursive: true });
    return join(dir, file);
  };
  return {
    out: inFolder(o.out, `run-${id}.json`),
    csv: inFolder(o.csv, `run-${id}-dataset.csv`),
    figures: o.figures && join(o.figures, `run-${id}`),
    render: o.render,
  };
}

async function writeOutputs(
  store: ProjectStore,
  runId: number,
  projectPath: string,
  o: Outputs,
  say: (text: string) => void,
): Promise<void> {
  const run = store.getRun(runId)!;
  if (o.out) {
    const metrics = store.metrics(runId);
    const body = { study: run.config, runId, project: projectPath, results: run.results, metrics };
    writeFileSync(o.out, toStoredJson(body));
    say(`results: ${o.out}`);
  }
  if (o.csv && !run.damage) {
    // The data the fit used: the recipe's points again (same seed, same q̈ noise), or the
    // imported measurements with their derivative estimates and times.
    // Loaded here: the engine (tfjs) stays out of the CLI's process unless the data is written.
    const { datasetTable } = await import('../export/run-export');
    const { fitData } = await import('../study/phases/data');
    writeFileSync(o.csv, datasetTable(fitData(run.config)));
    say(`dataset: ${o.csv}`);
  }
  if (o.figures && run.results) {
    // in a child process: a native renderer's abort is an error naming the figure, not our exit
    const { runIsolated } = await import('../jobs/isolated');
    const { workerModule } = await import('../jobs/spawn-worker');
    const { written } = await runIsolated<ExportRequest, FiguresReply>(
      workerModule('export-worker'),
      {
        kind: 'figures',
        details: [store.detail(runId)!],
        dir: resolve(o.figures),
        dpi: o.render.dpi ?? 300,
        ...(o.render.style ? { style: o.render.style.name } : {}),
        ...(o.render.formats ? { formats: [...o.render.formats] } : {}),
        ...(o.render.colourMap ? { colourMap: o.render.colourMap } : {}),
      },
      { what: `The figures of run ${runId} could not be written` },
    );
    say(`figures: ${written.length} in ${o.figures} (${written.map((w) => w.kind).join(', ')})`);
  }
}

if (process.argv[1] && /study\.(ts|js)$/.test(process.argv[1]))
  void runCommand(studyCommand, process.argv.slice(2)).then(exitAfterOutput);
