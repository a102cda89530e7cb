/*
 * The studio's state as one runes class: the open project, its runs, the selection, the running
 * job and the last error. Components read it and call its methods; every API call goes through
 * `guard`, so an error lands in one place.
 */
import type {
  ApiClient,
  AppInfo,
  JobProgress,
  RunDetail,
  RunSummary,
  StudySpec,
  SystemDefinition,
} from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/contract';
import { ACTIVE_STATUSES, STOPPED_STATUSES, type ProjectSize } from '../../src-shared/dto/runs';
import { messageOf } from '../../src-shared/errors';
import { defaultStudy } from '../lib/default-study';
import { runDescription, runName } from '../../src-shared/study/run-name';
import { windowProblemText } from '../../src-shared/study/window-problem';
import {
  describeProblem,
  formProblems,
  refusedStudyFields,
  type FormProblem,
} from '../../src-shared/study/form-problems';

/** The live loss of the running job, from progress events (capped). */
const LIVE_POINTS = 5000;

export type Theme = 'light' | 'dark';

export class Studio {
  info = $state<AppInfo | null>(null);
  presets = $state<Array<{ id: string; definition: SystemDefinition }>>([]);
  study = $state<StudySpec | null>(null);
  /** The study the form was loaded from (a bundled study, a preset's default): runs are named
   * after what differs from it. */
  template = $state.raw<StudySpec | null>(null);
  /** A name typed by the user; empty: the generated one. */
  customName = $state('');
  readonly generatedName = $derived(this.study ? runName(this.study, this.template) : '');
  /** What the server refused at Start, by field, and the form it refused (as JSON). */
  serverProblems = $state.raw<{ form: string; problems: FormProblem[] } | null>(null);
  /** q̈ not finite in the sampling window (sampling:check, after the window or L changed). */
  windowProblem = $state('');
  private windowCheck = 0;
  /** What the server would refuse in the form, field by field (the same schema), as typed. */
  readonly problems = $derived(
    this.study
      ? [
          ...formProblems($state.snapshot(this.study)),
          ...(this.windowProblem
            ? [{ path: 'sampling.window.domain', message: this.windowProblem }]
            : []),
          // The server's refusal, at its fields, while the form is still what was refused.
          ...(this.serverProblems &&
          this.serverProblems.form === JSON.stringify($state.snapshot(this.study))
            ? this.serverProblems.problems
            : []),
        ]
      : [],
  );
  /** The Lagrangian box's own check (syntax, unknown symbols), from the System panel. */
  lagrangianProblem = $state('');
  /** Why Start is disabled, or ''. */
  readonly startProblem = $derived(
    this.lagrangianProblem
      ? `Lagrangian: ${this.lagrangianProblem}`
      : this.problems[0]
        ? describeProblem(this.problems[0])
        : '',
  );
  runs = $state<RunSummary[]>([]);
  selected = $state<number | null>(null);
  // Raw: a run's detail is large (history, grids) and replaced whole, never edited in place; a
  // deep proxy would cost hundreds of ms to build and to snapshot.
  detail = $state.raw<RunDetail | null>(null);
  progress = $state<JobProgress | null>(null);
  /** A Pause or Cancel sent and not yet acknowledged by the run's new status. */
  stopping = $state<{ runId: number; action: 'pausing' | 'cancelling' } | null>(null);
  /** The last run that ended, and how (completed, diverged, failed, paused, cancelled). */
  lastEnded = $state<{ runId: number; status: string } | null>(null);
  /**
   * One line for the Run panel from the job events and the runs list (the same source as the
   * list's statuses): what the active run does, a stop in progress, how the last one ended, or
   * how many runs are active.
   */
  readonly statusLine = $derived.by(() => {
    const active = this.runs.filter((r) => ACTIVE_STATUSES.includes(r.status)).length;
    if (this.stopping) return `run #${this.stopping.runId} ${this.stopping.action}…`;
    if (this.progress && this.activeRunId !== null) return '';
    if (active) return `${active} run${active === 1 ? '' : 's'} active`;
    if (this.lastEnded) return `run #${this.lastEnded.runId} ${this.lastEnded.status}`;
    return 'idle';
  });
  activeRunId = $state<number | null>(null);
  error = $state('');
  /** A short confirmation (an export's path), shown as a toast. */
  notice = $state('');
  projectPath = $state('');
  theme = $state<Theme>('light');
  compare = $state<number[]>([]);
  comparing = $state(false);
  report = $state<{ runIds: Record<string, number>; done: boolean } | null>(null);
  /** The open project's size on disk (shown in the toolbar, with pruning of landscapes). */
  projectSize = $state<ProjectSize | null>(null);
  showGallery = $state(false);
  showAbout = $state(false);
  showHelp = $state(false);
  showLogs = $state(false);
  examples = $state<Array<{ file: string; study: StudySpec }>>([]);
  recent = $state<string[]>([]);
  live = $state<{ runId: number; steps: number[]; loss: number[] }>({
    runId: -1,
    steps: [],
    loss: [],
  });

  readonly selectedRun = $derived(this.runs.find((r) => r.id === this.selected) ?? null);
  readonly canResume = $derived(
    !!this.selectedRun &&
      STOPPED_STATUSES.includes(this.selectedRun.status) &&
      this.activeRunId === null,
  );
  /** The report runs' statuses as one key: the gallery reloads when one changes (a resume). */
  readonly reportStatuses = $derived(
    this.report
      ? Object.values(this.report.runIds)
          .map((id) => this.runs.find((r) => r.id === id)?.status ?? '')
          .join(',')
      : '',
  );
  /** How many of the report's runs have finished. */
  readonly reportDone = $derived(
    this.report
      ? this.runs.filter(
          (r) =>
            Object.values(this.report!.runIds).includes(r.id) &&
            !ACTIVE_STATUSES.includes(r.status),
        ).length
      : 0,
  );

  constructor(readonly api: ApiClient) {}

  /** Run `action`; a failure becomes the visible error instead of an unhandled rejection. */
  async guard<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (err) {
      this.error = messageOf(err);
      return undefined;
    }
  }

  /** Load the app's info, presets and runs; subscribe to job events. Returns the unsubscriber. */
  connect(): () => void {
    void this.guard(async () => {
      this.info = await this.api.invoke('app:info', {});
      this.presets = await this.api.invoke('presets:list', {});
      const coulomb = this.presets.find((p) => p.id === 'coulomb-pair') ?? this.presets[0]!;
      this.load(defaultStudy(coulomb.definition));
      this.projectPath = this.info.project?.path ?? '';
      await this.refreshRuns();
      const last = this.runs.at(-1);
      if (last) await this.select(last.id);
    });
    void this.api
      .invoke('studies:list', {})
      .then((s) => (this.examples = s))
      .catch(() => undefined);
    void this.api
      .invoke('project:recent', {})
      .then((r) => (this.recent = r))
      .catch(() => undefined);
    const offProgress = this.api.on('job:progress', (p) => this.onProgress(p));
    const offStatus = this.api.on('job:status', (s) => {
      if (this.stopping?.runId === s.runId && s.status !== 'running') this.stopping = null;
      if (s.status !== 'running' && s.status !== 'queued') {
        this.lastEnded = { runId: s.runId, status: s.status };
        if (this.activeRunId === s.runId) {
          this.activeRunId = null;
          this.progress = null;
        }
        if (s.status === 'failed') this.error = s.message;
        void this.refreshRuns().then(() => this.select(s.runId));
      } else {
        this.activeRunId = s.runId;
        void this.refreshRuns();
      }
    });
    return () => {
      offProgress();
      offStatus();
    };
  }

  private onProgress(p: JobProgress): void {
    this.progress = p;
    this.activeRunId = p.runId;
    if (p.phase !== 'training' || p.loss === null) return;
    if (this.live.runId !== p.runId) this.live = { runId: p.runId, steps: [], loss: [] };
    if (this.live.steps.length < LIVE_POINTS) {
      this.live.steps.push(p.step);
      this.live.loss.push(p.loss);
    }
  }

  async refreshRuns(): Promise<void> {
    if (!this.info?.project) return;
    this.runs = await this.api.invoke('runs:list', {});
    this.projectSize = await this.api.invoke('project:size', {});
    if (this.report && !this.report.done) {
      const ids = Object.values(this.report.runIds);
      const statuses = ids.map((id) => this.runs.find((r) => r.id === id)?.status);
      if (statuses.every((s) => s && !ACTIVE_STATUSES.includes(s))) this.report.done = true;
    }
  }

  async select(id: number): Promise<void> {
    this.selected = id;
    this.detail = await this.api.invoke('runs:get', { id });
  }

  /** The start screen again (the report's studies and the presets), whatever is shown. */
  newStudy(): void {
    this.selected = null;
    this.detail = null;
    this.showGallery = false;
    this.comparing = false;
  }

  /** A copy of a study in the form, as the template of the runs that follow (the example stays). */
  load(study: StudySpec): void {
    this.study = structuredClone($state.snapshot<StudySpec>(study));
    this.template = structuredClone($state.snapshot<StudySpec>(study));
    this.customName = '';
  }

  /** No window check applies (a bad L or window, measured data): drop one in flight too. */
  clearWindowCheck(): void {
    this.windowCheck++;
    this.windowProblem = '';
  }

  /** Probe the window with the true L (compute worker): name a window outside its domain. */
  async checkWindow(study: StudySpec): Promise<void> {
    const mine = ++this.windowCheck;
    try {
      const r = await this.api.invoke('sampling:check', {
        system: study.system,
        window: study.sampling.window,
        ...(study.trueParameters ? { trueParameters: study.trueParameters } : {}),
      });
      if (mine === this.windowCheck)
        this.windowProblem = windowProblemText(r, study.system.coordinates);
    } catch {
      if (mine === this.windowCheck) this.windowProblem = '';
    }
  }

  start(): Promise<void> {
    const form = this.study;
    if (!form) return Promise.resolve();
    // The run is named for what it is: the template's name only while nothing differs from it.
    const study = {
      ...$state.snapshot<StudySpec>(form),
      name: this.customName.trim() || this.generatedName,
      description: runDescription(form, this.template),
      ...(this.template ? { template: this.template.name } : {}),
    };
    this.error = '';
    this.progress = null;
    const refused = JSON.stringify($state.snapshot(form));
    return this.guard(async () => {
      try {
        const { id } = await this.api.invoke('runs:start', { study });
        this.activeRunId = id;
        this.serverProblems = null;
      } catch (err) {
        // A field the server refused is marked at the field.
        const problems = err instanceof ApiError ? refusedStudyFields(err.fields) : [];
        this.serverProblems = problems.length ? { form: refused, problems } : null;
        throw err;
      }
      await this.refreshRuns();
    });
  }

  async control(
    channel: 'runs:pause' | 'runs:cancel' | 'runs:resume',
    id: number | null,
  ): Promise<void> {
    if (id === null) return;
    // Acknowledged at once; the run's next status event (at its next check) clears it.
    if (channel !== 'runs:resume')
      this.stopping = { runId: id, action: channel === 'runs:pause' ? 'pausing' : 'cancelling' };
    await this.guard(async () => {
      try {
        await this.api.invoke(channel, { id });
      } catch (err) {
        // refused (the run had already ended): nothing is stopping, the error says why
        this.stopping = null;
        throw err;
      }
    });
  }

  /** One action: run every bundled study of the report, then show its 27 figures. */
  reproduceReport(): Promise<void> {
    this.error = '';
    return this.guard(async () => {
      const { runIds } = await this.api.invoke('report:reproduce', {});
      this.report = { runIds, done: false };
      this.showGallery = true;
      await this.refreshRuns();
    });
  }

  rename(id: number, name: string): Promise<void> {
    return this.guard(async () => {
      await this.api.invoke('runs:rename', { id, name });
      await this.refreshRuns();
    });
  }

  setTags(id: number, tags: string[]): Promise<void> {
    return this.guard(async () => {
      await this.api.invoke('runs:tags', { id, tags });
      await this.refreshRuns();
    });
  }

  deleteRun(id: number): Promise<void> {
    return this.guard(async () => {
      await this.api.invoke('runs:delete', { id });
      if (this.selected === id) {
        this.selected = null;
        this.detail = null;
      }
      await this.refreshRuns();
    });
  }

  usePreset(id: string): void {
    const p = this.presets.find((x) => x.id === id);
    if (p) this.load(defaultStudy(p.definition));
  }
}
