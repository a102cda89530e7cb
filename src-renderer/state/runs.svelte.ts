/*
 * The project's runs as the page follows them: the list, the selected run's detail, the running
 * job (its progress, the live loss, a Pause or Cancel in flight, how the last one ended), the runs
 * ticked for Compare and the report's runs.
 */
import type {
  ApiClient,
  JobProgress,
  JobStatusEvent,
  RunDetail,
  RunSummary,
} from '../../src-shared/api/contract';
import { ACTIVE_STATUSES, STOPPED_STATUSES } from '../../src-shared/dto/runs';
import type { ProjectState } from './project.svelte';
import type { ViewState } from './view.svelte';

/** The live loss of the running job, from progress events (capped). */
const LIVE_POINTS = 5000;

export type ControlChannel = 'runs:pause' | 'runs:cancel' | 'runs:resume';

const noLiveLoss = () => ({ runId: -1, steps: [] as number[], loss: [] as number[] });

export class RunsState {
  list = $state<RunSummary[]>([]);
  selected = $state<number | null>(null);
  // Raw: a run's detail is large (history, grids) and replaced whole, never edited in place; a
  // deep proxy would cost hundreds of ms to build and to snapshot.
  detail = $state.raw<RunDetail | null>(null);
  progress = $state<JobProgress | null>(null);
  activeRunId = $state<number | null>(null);
  /** A Pause or Cancel sent and not yet acknowledged by the run's new status. */
  stopping = $state<{ runId: number; action: 'pausing' | 'cancelling' } | null>(null);
  /** The last run that ended, and how (completed, diverged, failed, paused, cancelled). */
  lastEnded = $state<{ runId: number; status: string } | null>(null);
  live = $state<{ runId: number; steps: number[]; loss: number[] }>(noLiveLoss());
  /** The runs ticked for Compare. */
  compare = $state<number[]>([]);
  /** The report's runs by study, once "Reproduce the report" started them. */
  report = $state<{ runIds: Record<string, number>; done: boolean } | null>(null);

  /**
   * One line for the Run panel from the job events and the runs list (the same source as the
   * list's statuses): what the active run does, a stop in progress, how the last one ended, or
   * how many runs are active.
   */
  readonly statusLine = $derived.by(() => {
    const active = this.list.filter((r) => ACTIVE_STATUSES.includes(r.status)).length;
    if (this.stopping) return `run #${this.stopping.runId} ${this.stopping.action}…`;
    if (this.progress && this.activeRunId !== null) return '';
    if (active) return `${active} run${active === 1 ? '' : 's'} active`;
    if (this.lastEnded) return `run #${this.lastEnded.runId} ${this.lastEnded.status}`;
    return 'idle';
  });
  readonly selectedRun = $derived(this.list.find((r) => r.id === this.selected) ?? null);
  readonly canResume = $derived(
    !!this.selectedRun &&
      STOPPED_STATUSES.includes(this.selectedRun.status) &&
      this.activeRunId === null,
  );
  /** The report runs' statuses as one key: the gallery reloads when one changes (a resume). */
  readonly reportStatuses = $derived(
    this.report
      ? Object.values(this.report.runIds)
          .map((id) => this.list.find((r) => r.id === id)?.status ?? '')
          .join(',')
      : '',
  );
  /** How many of the report's runs have finished. */
  readonly reportDone = $derived(
    this.report
      ? this.list.filter(
          (r) =>
            Object.values(this.report!.runIds).includes(r.id) &&
            !ACTIVE_STATUSES.includes(r.status),
        ).length
      : 0,
  );

  constructor(
    private readonly api: ApiClient,
    private readonly project: ProjectState,
    private readonly view: ViewState,
  ) {}

  onProgress(p: JobProgress): void {
    this.progress = p;
    this.activeRunId = p.runId;
    if (p.phase !== 'training' || p.loss === null) return;
    if (this.live.runId !== p.runId) this.live = { runId: p.runId, steps: [], loss: [] };
    if (this.live.steps.length < LIVE_POINTS) {
      this.live.steps.push(p.step);
      this.live.loss.push(p.loss);
    }
  }

  /** A run's new status: an ended run is selected (its results), a failure says why. */
  onStatus(s: JobStatusEvent): void {
    if (this.stopping?.runId === s.runId && s.status !== 'running') this.stopping = null;
    if (s.status !== 'running' && s.status !== 'queued') {
      this.lastEnded = { runId: s.runId, status: s.status };
      if (this.activeRunId === s.runId) {
        this.activeRunId = null;
        this.progress = null;
      }
      if (s.status === 'failed') this.view.error = s.message;
      void this.view.guard(() => this.refresh().then(() => this.select(s.runId)));
    } else {
      this.activeRunId = s.runId;
      void this.view.guard(() => this.refresh());
    }
  }

  async refresh(): Promise<void> {
    if (!this.project.isOpen) return;
    this.list = await this.api.invoke('runs:list', {});
    this.project.size = await this.api.invoke('project:size', {});
    if (this.report && !this.report.done) {
      const ids = Object.values(this.report.runIds);
      const statuses = ids.map((id) => this.list.find((r) => r.id === id)?.status);
      if (statuses.every((s) => s && !ACTIVE_STATUSES.includes(s))) this.report.done = true;
    }
  }

  async select(id: number): Promise<void> {
    this.selected = id;
    this.detail = await this.api.invoke('runs:get', { id });
  }

  deselect(): void {
    this.selected = null;
    this.detail = null;
  }

  /** Nothing of a project that is no longer open stays (its runs, Compare, the report). */
  clear(): void {
    this.deselect();
    this.list = [];
    this.compare = [];
    this.report = null;
    this.progress = null;
    this.lastEnded = null;
    this.live = noLiveLoss();
  }

  async control(channel: ControlChannel, id: number | null): Promise<void> {
    if (id === null) return;
    // Acknowledged at once; the run's next status event (at its next check) clears it.
    if (channel !== 'runs:resume')
      this.stopping = { runId: id, action: channel === 'runs:pause' ? 'pausing' : 'cancelling' };
    await this.view.guard(async () => {
      try {
        await this.api.invoke(channel, { id });
      } catch (err) {
        // refused (the run had already ended): nothing is stopping, the error says why
        this.stopping = null;
        throw err;
      }
    });
  }

  rename(id: number, name: string): Promise<void> {
    return this.view.guard(async () => {
      await this.api.invoke('runs:rename', { id, name });
      await this.refresh();
    });
  }

  setTags(id: number, tags: string[]): Promise<void> {
    return this.view.guard(async () => {
      await this.api.invoke('runs:tags', { id, tags });
      await this.refresh();
    });
  }

  remove(id: number): Promise<void> {
    return this.view.guard(async () => {
      await this.api.invoke('runs:delete', { id });
      if (this.selected === id) this.deselect();
      await this.refresh();
    });
  }
}
