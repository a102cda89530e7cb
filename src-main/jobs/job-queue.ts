import { AppError } from '../../src-shared/errors';
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { TrainCheckpoint } from '../engine/training/train';

import type { StudySpec } from '../../src-shared/study/study-schema';
import { storedStudy } from '../store/records';
import { enteringPhase, trainingProgress, withinPhase } from './job-progress';
import type { ProjectStore, RunStatus } from '../store/project-store';
import { STOP_CANCEL, STOP_PAUSE, type FromWorker, type ToWorker } from './messages';
import { STUDY_HEAP_MB, takeStudyWorker } from './study-worker-spawn';
import { componentLog } from '../logging';
import type { JobInfo, JobProgress, JobStatusEvent } from '../../src-shared/dto/jobs';
import { STOPPED_STATUSES } from '../../src-shared/dto/runs';
export type { JobInfo, JobProgress, JobStatusEvent };

interface Job {
  readonly runId: number;
  readonly study: StudySpec;
  readonly resumeFrom?: TrainCheckpoint;
  worker?: Worker;
  progress: JobProgress | null;
  firstStep?: { step: number; at: number };
  /** When the current phase started (performance.now()), for its ETA. */
  phaseStart?: number;
  settle: Array<(s: RunStatus) => void>;
  /** Set when the app is closing: the job stops at its next checkpoint and stays resumable. */
  closing?: boolean;
  /** Shared with the worker: a stop request it sees even inside a long phase. */
  readonly stopFlag: Int32Array;
  /** When its worker started (ms, performance.now), for the log's durations. */
  startedAt?: number;
}

const newStopFlag = () => new Int32Array(new SharedArrayBuffer(4));

export interface JobQueueOptions {
  /** Jobs running at once (default 2: one per core here). */
  readonly concurrency?: number;
  readonly progressIntervalMs?: number;
  /** How often a running job's checkpoint is written (a crash loses at most this much). */
  readonly checkpointIntervalMs?: number;
}

/**
 * Runs studies in worker threads, one per job, never on the main thread; keeps the store up to
 * date (status, checkpoints, metrics, results) and reports progress as events.
 */
export class JobQueue extends EventEmitter<{ progress: [JobProgress]; status: [JobStatusEvent] }> {
  private readonly waiting: Job[] = [];
  private readonly running = new Map<number, Job>();

  constructor(
    private readonly store: ProjectStore,
    private readonly options: JobQueueOptions = {},
  ) {
    super();
  }

  /** Record the run as queued, schedule it (the study was validated where it entered). */
  start(spec: StudySpec, name?: string): number {
    const runId = this.store.createRun(name ?? spec.name, spec, {
      seed: spec.sampling.seed,
      maxSteps: spec.stopping.maxSteps,
    });
    this.enqueue({ runId, study: spec, progress: null, settle: [], stopFlag: newStopFlag() });
    return runId;
  }

  /** Continue a paused, interrupted or cancelled run from its last checkpoint. */
  resume(runId: number): void {
    if (this.running.has(runId) || this.waiting.some((j) => j.runId === runId))
      throw new AppError('run-active', `Run ${runId} is already active`);
    const run = this.store.getRun(runId);
    if (!run) throw new AppError('not-found', `There is no run ${runId}`);
    if (!STOPPED_STATUSES.includes(run.status))
      throw new AppError(
        'invalid-request',
        `Run ${runId} is ${run.status}; only paused, interrupted or cancelled runs resume`,
      );
    const study = storedStudy(run);
    const checkpoint = this.store.getCheckpoint<TrainCheckpoint>(runId);
    this.store.setRunStatus(
      runId,
      'queued',
      checkpoint ? `resuming from step ${checkpoint.step}` : 'restarting: no checkpoint was saved',
    );
    this.enqueue({
      runId,
      study,
      ...(checkpoint ? { resumeFrom: checkpoint } : {}),
      progress: null,
      settle: [],
      stopFlag: newStopFlag(),
    });
  }

  pause(runId: number): void {
    this.signal(runId, 'pause');
  }

  cancel(runId: number): void {
    const i = this.waiting.findIndex((j) => j.runId === runId);
    if (i >= 0) {
      const [job] = this.waiting.splice(i, 1);
      this.finish(job!, 'cancelled', 'cancelled before it started');
      return;
    }
    this.signal(runId, 'cancel');
  }

  /** Stop a worker abruptly, writing nothing (what a crash does; used by tests). */
  async kill(runId: number): Promise<void> {
    const job = this.running.get(runId);
    if (!job?.worker) return;
    job.worker.removeAllListeners();
    await job.worker.terminate();
    this.running.delete(runId);
  }

  list(): JobInfo[] {
    return [
      ...[...this.running.values()].map((j) => ({
        runId: j.runId,
        state: 'running' as const,
        progress: j.progress,
      })),
      ...this.waiting.map((j) => ({ runId: j.runId, state: 'queued' as const, progress: null })),
    ];
  }

  /** Resolves with the run's status when it stops (completed, paused, failed, …). */
  waitFor(runId: number): Promise<RunStatus> {
    const job = this.running.get(runId) ?? this.waiting.find((j) => j.runId === runId);
    if (!job) return Promise.resolve(this.store.getRun(runId)?.status ?? 'failed');
    return new Promise((resolve) => job.settle.push(resolve));
  }

  /** Runs training or waiting now (what a quit would interrupt). */
  get activeCount(): number {
    return this.running.size + this.waiting.length;
  }

  /**
   * Stop every job at its next checkpoint and store it `interrupted` (resumable, history intact),
   * never `failed`: what quitting, closing the window, switching projects and SIGTERM do. A worker
   * that has not answered within `graceMs` is terminated; its last periodic checkpoint remains.
   */
  async close(graceMs = 10_000): Promise<void> {
    for (const job of this.waiting.splice(0))
      this.finish(job, 'interrupted', 'interrupted before it started: resume runs it');
    const jobs = [...this.running.values()];
    if (jobs.length === 0) return;
    const settled = jobs.map((j) => new Promise<RunStatus>((resolve) => j.settle.push(resolve)));
    for (const job of jobs) {
      job.closing = true;
      Atomics.store(job.stopFlag, 0, STOP_PAUSE);
      job.worker?.postMessage({ type: 'pause' } satisfies ToWorker);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.all(settled), late]);
    clearTimeout(timer);
    for (const job of jobs)
      if (this.running.get(job.runId) === job) this.interruptNow(job, 'did not stop in time');
  }

  /** Stop at once (a second Ctrl-C): terminate the workers, keep their last checkpoints. */
  closeNow(): void {
    for (const job of this.waiting.splice(0))
      this.finish(job, 'interrupted', 'interrupted before it started: resume runs it');
    for (const job of [...this.running.values()]) this.interruptNow(job, 'stopped at once');
  }

  private interruptNow(job: Job, why: string): void {
    const saved = this.store.getCheckpoint<TrainCheckpoint>(job.runId);
    this.finish(
      job,
      'interrupted',
      `interrupted (${why}); resume continues from ${saved ? `step ${saved.step}` : 'the start'}`,
    );
  }

  private signal(runId: number, type: 'pause' | 'cancel'): void {
    const job = this.running.get(runId);
    if (!job) throw new AppError('not-found', `Run ${runId} is not running`);
    Atomics.store(job.stopFlag, 0, type === 'cancel' ? STOP_CANCEL : STOP_PAUSE);
    job.worker?.postMessage({ type } satisfies ToWorker);
  }

  private enqueue(job: Job): void {
    this.waiting.push(job);
    this.pump();
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 2;
    while (this.running.size < limit && this.waiting.length > 0) this.launch(this.waiting.shift()!);
  }

  private launch(job: Job): void {
    this.running.set(job.runId, job);
    this.store.setRunStatus(
      job.runId,
      'running',
      job.resumeFrom ? `resumed from step ${job.resumeFrom.step}` : '',
    );
    this.emit('status', { runId: job.runId, status: 'running', message: '' });
    job.startedAt = performance.now();
    componentLog('jobs').info(
      { runId: job.runId, ...(job.resumeFrom ? { resumedFrom: job.resumeFrom.step } : {}) },
      'run started',
    );
    const worker = takeStudyWorker();
    job.worker = worker;
    const maxSteps = job.study.stopping.maxSteps;
    worker.on('message', (msg: FromWorker) => this.onMessage(job, msg, maxSteps));
    worker.on('error', (err: Error) =>
      this.finish(
        job,
        'failed',
        (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the run ran out of memory (its heap limit is ${STUDY_HEAP_MB} MB): lower sampling.count or the model's size`
          : `the worker failed: ${err.message}`,
      ),
    );
    worker.on('exit', (code) => {
      if (this.running.get(job.runId) !== job) return;
      if (job.closing) this.interruptNow(job, `the worker exited with code ${code}`);
      else this.finish(job, 'failed', `the worker exited (code ${code}) before finishing`);
    });
    worker.postMessage({
      type: 'start',
      runId: job.runId,
      study: job.study,
      ...(job.resumeFrom ? { resumeFrom: job.resumeFrom } : {}),
      progressIntervalMs: this.options.progressIntervalMs ?? 100,
      checkpointIntervalMs: this.options.checkpointIntervalMs ?? 2000,
      stopFlag: job.stopFlag.buffer as SharedArrayBuffer,
    } satisfies ToWorker);
  }

  private onMessage(job: Job, msg: FromWorker, maxSteps: number): void {
    const now = performance.now();
    switch (msg.type) {
      case 'phase':
        if (msg.backend)
          this.store.setRunStatus(job.runId, 'running', '', { backend: msg.backend });
        job.phaseStart = now;
        return this.show(
          job,
          enteringPhase(
            job.progress,
            { runId: job.runId, step: job.resumeFrom?.step ?? 0, maxSteps },
            msg.phase,
          ),
        );
      case 'phase-progress':
        if (!job.progress) return;
        return this.show(
          job,
          withinPhase(job.progress, (now - (job.phaseStart ?? now)) / 1000, msg.fraction),
        );
      case 'progress':
        job.firstStep ??= { step: msg.step, at: now };
        return this.show(job, trainingProgress(job.runId, msg, job.firstStep, now));
      case 'checkpoint':
        return this.store.appendCheckpoint(
          job.runId,
          msg.checkpoint,
          msg.checkpoint.history.loss.at(-1) ?? null,
        );
      case 'paused':
        return this.onPaused(job, msg.checkpoint);
      case 'done':
        return this.onDone(job, msg);
      case 'failed':
        if (msg.error.code === 'cancelled') this.stoppedBeforeFit(job);
        else this.finish(job, 'failed', msg.error.message);
    }
  }

  private show(job: Job, progress: JobProgress): void {
    job.progress = progress;
    this.emit('progress', progress);
  }

  /** Paused at a checkpoint (or closing: interrupted there); resume continues from it. */
  private onPaused(job: Job, checkpoint: TrainCheckpoint): void {
    this.store.saveCheckpoint(job.runId, checkpoint, checkpoint.history.loss.at(-1) ?? null);
    if (job.closing)
      this.finish(
        job,
        'interrupted',
        `interrupted at step ${checkpoint.step} when the app closed; resume continues from there`,
      );
    else this.finish(job, 'paused', `paused at step ${checkpoint.step}`);
  }

  private onDone(job: Job, msg: Extract<FromWorker, { type: 'done' }>): void {
    const t = msg.results.training;
    const stoppedIn = msg.results.cancelledIn;
    const paused = Atomics.load(job.stopFlag, 0) === STOP_PAUSE;
    if (stoppedIn && (job.closing || paused)) {
      // Closed or paused during an analysis: keep the finished fit; resume re-runs the
      // analyses (Pause means resumable in every phase).
      this.store.saveCheckpoint(job.runId, msg.checkpoint, t.finalLoss);
      const how = job.closing ? 'interrupted' : 'paused';
      const when = job.closing ? ' when the app closed' : '';
      this.finish(
        job,
        how,
        `${how} during ${stoppedIn}${when} (the fit had finished); resume re-runs the analyses`,
      );
      return;
    }
    const status = stoppedIn ? 'cancelled' : t.status;
    const message = stoppedIn ? `cancelled during ${stoppedIn} (the fit completed)` : t.message;
    this.store.finishRun(job.runId, {
      status,
      message,
      results: msg.results,
      history: msg.history,
      checkpoint: msg.checkpoint,
      finalLoss: t.finalLoss,
      bestLoss: t.bestLoss,
      step: t.steps,
      backend: msg.results.backend,
    });
    for (const g of msg.grids) this.store.saveGrid(job.runId, g.kind, g.meta, g.nx, g.ny, g.data);
    this.finish(job, status, message, true);
  }

  /**
   * Stopped before the fit had a checkpoint (sampling, CSV import): nothing to keep; resume starts
   * the run again. Closing leaves it `interrupted`, Pause `paused`, Cancel `cancelled`.
   */
  private stoppedBeforeFit(job: Job): void {
    const phase = job.progress?.phase ?? 'dataset';
    const paused = Atomics.load(job.stopFlag, 0) === STOP_PAUSE;
    if (job.closing)
      this.finish(job, 'interrupted', `interrupted during ${phase} when the app closed`);
    else if (paused)
      this.finish(job, 'paused', `paused during ${phase}, before training; resume starts again`);
    else this.finish(job, 'cancelled', `cancelled during ${phase}`);
  }

  private finish(job: Job, status: RunStatus, message: string, stored = false): void {
    if (!stored) this.store.setRunStatus(job.runId, status, message);
    const seconds =
      job.startedAt === undefined ? undefined : (performance.now() - job.startedAt) / 1000;
    componentLog('jobs')[status === 'failed' ? 'error' : 'info'](
      { runId: job.runId, status, ...(seconds === undefined ? {} : { seconds }) },
      message || `run ${status}`,
    );
    this.running.delete(job.runId);
    if (job.worker) {
      job.worker.removeAllListeners();
      void job.worker.terminate();
    }
    this.emit('status', { runId: job.runId, status, message });
    for (const s of job.settle) s(status);
    this.pump();
  }
}
