// npm run study -- STUDY.json [--project FILE] [--out RESULT.json] [--dataset-csv FILE] [--figures
// DIR]
// Runs a study headless through the same job queue (worker thread) and project store as the app.
import { COMMAND_SUMMARIES } from './command-list';
import { formatTimings } from './timings-summary';
import { formatSummary } from './study-summary';
import { colourMapOption, figureFormatsOption, figureStyleOption } from './figure-options';
import type { FigureExportOptions } from '../figures/render';
import type { ExportRequest, FiguresReply } from '../jobs/export-worker';
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
import { JobQueue } from '../jobs/job-queue';
import { ProjectStore } from '../store/project-store';
import type { StudySpec } from '../../src-shared/study/study-schema';
import { storedStudy } from '../store/records';
import type { RunRow } from '../../src-shared/dto/runs';
import { readStudyFile } from '../study/study-file';
import { expandSweep, shardOf } from '../study/sweep';

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
  const options = studyOptions(args);
  const { store, study } = openStudy(options);
  const queue = new JobQueue(store, {
    progressIntervalMs: 200,
    checkpointIntervalMs: options.checkpointSeconds * 1000,
  });
  printProgress(queue);
  const run: CommandRun = { ...options, store, queue, signalled: stopOnSignals(queue) };
  try {
    return study.sweep ? await runSweep(run, study) : await runOne(run, study);
  } finally {
    store.close();
  }
}

/** The command's options, all checked before any project is opened (a typo leaves none behind). */
function studyOptions(args: ParsedArgs) {
  const arg = (name: string) => stringOption(args, name);
  const json = args.values.json === true;
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
  const render = {
    dpi: numberOption(args, 'dpi', 300, { min: 36, max: 2400 }),
    style: figureStyleOption(arg('style')),
    formats: figureFormatsOption(arg('formats')),
    colourMap: colourMapOption(arg('colour-map')),
  };
  return {
    file,
    resumeId,
    json,
    say: (text: string) => (json ? console.error(text) : console.log(text)),
    timings: args.values.timings === true,
    shard: arg('shard'),
    checkpointSeconds: numberOption(args, 'checkpoint-seconds', 2, { min: 0.1, max: 3600 }),
    projectPath: resolve(
      arg('project') ?? join(mkdtempSync(join(tmpdir(), 'lagrange-study-')), 'study.lsproj'),
    ),
    outputs: { out: arg('out'), csv: arg('dataset-csv'), figures: arg('figures'), render },
  };
}

type StudyOptions = ReturnType<typeof studyOptions>;

/** What the run and sweep halves share: the options, the open project, its queue. */
interface CommandRun extends StudyOptions {
  readonly store: ProjectStore;
  readonly queue: JobQueue;
  /** The signal that stopped the runs, if one did. */
  readonly signalled: () => NodeJS.Signals | null;
}

/** The project, and the study: the file's, or a stored run's for --resume. */
function openStudy(o: StudyOptions): { store: ProjectStore; study: StudySpec } {
  const store = ProjectStore.open(o.projectPath, { create: true });
  try {
    const stored = o.resumeId !== undefined ? store.getRun(o.resumeId) : undefined;
    if (o.resumeId !== undefined && !stored)
      throw new UsageError(`${o.projectPath} has no run ${o.resumeId}`);
    return { store, study: stored ? storedStudy(stored) : readStudyFile(o.file!) };
  } catch (err) {
    store.close();
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${o.file ?? `run ${o.resumeId}`}: ${(err as Error).message}`);
  }
}

/** Progress on stderr: a bar redrawn in a terminal, a line per tenth (and phase) in a log. */
function printProgress(queue: JobQueue): void {
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
}

/** A signal stops the runs at their next checkpoint ('interrupted', --resume goes on); two: now. */
function stopOnSignals(queue: JobQueue): () => NodeJS.Signals | null {
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
  return () => signalled;
}

const endLine = () => {
  if (process.stderr.isTTY) process.stderr.write('\n');
};

/** A sweep: every combination (or this shard's share) runs in parallel workers. */
async function runSweep(r: CommandRun, study: StudySpec): Promise<number> {
  const { store, queue, say, outputs, projectPath } = r;
  const all = expandSweep(study);
  const mine = r.shard ? shardOf(all, r.shard) : all;
  say(`sweep: ${all.length} runs${r.shard ? `, shard ${r.shard}: ${mine.length}` : ''}`);
  const ids = mine.map((s) => queue.start(s.study));
  await Promise.all(ids.map((id) => queue.waitFor(id)));
  endLine();
  await queue.close();
  const index = [];
  for (const [k, id] of ids.entries()) {
    const run = store.getRun(id)!;
    const point = mine[k]!.point;
    say(sweepLine(run, point));
    await writeOutputs(store, id, projectPath, perRun(outputs, id), say);
    index.push({
      runId: id,
      status: run.status,
      point,
      finalLoss: run.finalLoss,
      results: run.results,
    });
  }
  if (outputs.out)
    writeFileSync(
      join(outputs.out, 'index.json'),
      JSON.stringify({ project: projectPath, runs: index }, null, 2),
    );
  say(`project: ${projectPath}`);
  if (r.json) console.log(toStoredJson({ project: projectPath, runs: index }));
  return index.some((x) => x.status === 'failed') ? 1 : 0;
}

/** A sweep run's line: its status, point, final loss and (up to four) parameters. */
function sweepLine(run: RunRow, point: Record<string, unknown>): string {
  const res = run.results;
  const settings = Object.entries(point)
    .map(([p, v]) => `${p}=${String(v)}`)
    .join(' ');
  const parameters =
    res && res.model.parameterNames.length <= 4
      ? `  ${res.model.parameterNames.map((n, i) => `${n}=${res.training.parameters[i]!.toPrecision(7)}`).join(' ')}`
      : '';
  return `${run.status.padEnd(10)} ${settings}  final loss ${run.finalLoss?.toExponential(4) ?? '—'}${parameters}`;
}

/** One run (or a resumed one): its outputs, then its summary. */
async function runOne(r: CommandRun, study: StudySpec): Promise<number> {
  const { store, queue, say, projectPath } = r;
  const runId = r.resumeId ?? queue.start(study);
  if (r.resumeId !== undefined) queue.resume(r.resumeId);
  const status = await queue.waitFor(runId);
  endLine();
  const run = store.getRun(runId)!;
  await queue.close();
  if (status === 'interrupted' || status === 'paused') {
    console.error(`run ${runId} ${run.message}`);
    console.error(`resume: lagrange study --project ${projectPath} --resume ${runId}`);
    return r.signalled() === 'SIGTERM' ? 143 : 130;
  }
  if (status === 'failed') {
    console.error(`failed: ${run.message}`);
    return 1;
  }
  const results = run.results;
  if (!results) {
    console.error(`run ${runId} has no readable results${run.damage ? ` (${run.damage})` : ''}`);
    return 1;
  }
  // Files first: a summary that cannot be printed must not cost the results.
  await writeOutputs(store, runId, projectPath, r.outputs, say);
  say(formatSummary(study, results));
  if (r.timings) say(formatTimings(results));
  say(`project: ${projectPath} (run ${runId})`);
  if (r.json) console.log(toStoredJson({ project: projectPath, runId, status, results }));
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
