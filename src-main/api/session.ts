import { MAX_EVENT_STREAMS } from './http';
import { EventEmitter } from 'node:events';
import { basename, dirname, join, resolve } from 'node:path';
import { JobQueue, type JobProgress, type JobStatusEvent } from '../jobs/job-queue';
import { sqliteOptions } from '../store/native-binding';
import { ProjectStore } from '../store/project-store';
import { messageOf } from '../../src-shared/errors';
import type { ApiEvents, EventName, TaskProgress } from '../../src-shared/api/contract';
import { TaskTickets } from '../jobs/task-tickets';
import type { Settings } from '../shell/settings';

/** Where the contract's events come from. */
export interface ApiEventSource {
  subscribe<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/**
 * The open project and its job queue. Opening another project closes the current one
 * (its running jobs are stopped; they resume later from their checkpoints).
 */
export class ProjectSession
  extends EventEmitter<{
    'job:progress': [JobProgress];
    'job:status': [JobStatusEvent];
    'task:progress': [TaskProgress];
    command: [{ id: string; arg?: string }];
  }>
  implements ApiEventSource
{
  private current: { store: ProjectStore; queue: JobQueue } | null = null;
  /** Long requests (fields, previews, bundles) by ticket, cancellable; not tied to a project. */
  readonly tasks = new TaskTickets();

  constructor(
    private readonly options: { checkpointIntervalMs?: number; settings?: Settings } = {},
  ) {
    super();
    // every event stream (a browser tab, the desktop window) subscribes to each event: the
    // HTTP bridge bounds the streams (MAX_EVENT_STREAMS), so the default warning at 10 is noise
    this.setMaxListeners(MAX_EVENT_STREAMS + 8);
    this.tasks.on('progress', (p) => this.emit('task:progress', p));
  }

  get recentProjects(): string[] {
    return this.options.settings?.recentProjects ?? [];
  }

  async open(path: string, create = false, readOnly = false): Promise<ProjectStore> {
    // The same file again: close first, so its runs stop as 'interrupted' before it reopens.
    if (this.current && resolve(this.current.store.path) === resolve(path)) await this.close();
    const store = ProjectStore.open(path, { create, readOnly });
    await this.close();
    const queue = new JobQueue(store, this.options);
    queue.on('progress', (p) => this.emit('job:progress', p));
    queue.on('status', (s) => this.emit('job:status', s));
    this.current = { store, queue };
    this.options.settings?.addRecent(path);
    return store;
  }

  subscribe<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const emitter = this as unknown as EventEmitter;
    emitter.on(event, listener);
    return () => {
      emitter.off(event, listener);
    };
  }

  /** Files uploaded from the browser UI: a folder beside the project ("p.lsproj" → "p-uploads"). */
  uploadFolder(): string | null {
    const path = this.current?.store.path;
    return path ? join(dirname(path), `${basename(path).replace(/\.lsproj$/i, '')}-uploads`) : null;
  }

  get store(): ProjectStore | null {
    return this.current?.store ?? null;
  }

  /** Runs training or queued now: what quitting would interrupt. */
  get activeRuns(): number {
    return this.current?.queue.activeCount ?? 0;
  }

  get queue(): JobQueue | null {
    return this.current?.queue ?? null;
  }

  async close(): Promise<void> {
    if (!this.current) return;
    const { store, queue } = this.current;
    this.current = null;
    await queue.close();
    store.close();
  }
}

/** Why projects cannot be opened in this runtime (the Electron build is missing), or null. */
export function databaseModuleProblem(): string | null {
  try {
    sqliteOptions();
    return null;
  } catch (err) {
    return messageOf(err);
  }
}
