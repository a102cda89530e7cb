/*
 * The studio's state in four stores — the form, the open project, its runs, the view — and the
 * few actions that span them (connect, start a run, reproduce the report, a new study). Components
 * read the store they show; every API call goes through the view's `guard`, so an error lands in
 * one place.
 */
import type { ApiClient } from '../../src-shared/api/contract';
import { defaultStudy } from '../lib/default-study';
import { FormState } from './form.svelte';
import { ProjectState } from './project.svelte';
import { RunsState } from './runs.svelte';
import { ViewState } from './view.svelte';

export class Studio {
  readonly view = new ViewState();
  readonly project = new ProjectState();
  readonly form: FormState;
  readonly runs: RunsState;

  constructor(readonly api: ApiClient) {
    this.form = new FormState(api);
    this.runs = new RunsState(api, this.project, this.view);
  }

  /** See ViewState.guard. */
  guard<T>(action: () => Promise<T>): Promise<T | undefined> {
    return this.view.guard(action);
  }

  /** Load the app's info, presets and runs; subscribe to job events. Returns the unsubscriber. */
  connect(): () => void {
    void this.guard(async () => {
      const info = await this.api.invoke('app:info', {});
      this.project.info = info;
      this.form.presets = await this.api.invoke('presets:list', {});
      const coulomb =
        this.form.presets.find((p) => p.id === 'coulomb-pair') ?? this.form.presets[0]!;
      this.form.load(defaultStudy(coulomb.definition));
      this.project.path = info.project?.path ?? '';
      await this.runs.refresh();
      const last = this.runs.list.at(-1);
      if (last) await this.runs.select(last.id);
    });
    // What the start screen and the path field offer: advice, absent when unavailable.
    void this.api
      .invoke('studies:list', {})
      .then((s) => (this.project.examples = s))
      .catch(() => undefined);
    void this.api
      .invoke('project:recent', {})
      .then((r) => (this.project.recent = r))
      .catch(() => undefined);
    const offProgress = this.api.on('job:progress', (p) => this.runs.onProgress(p));
    const offStatus = this.api.on('job:status', (s) => this.runs.onStatus(s));
    return () => {
      offProgress();
      offStatus();
    };
  }

  /** Start the form as a run; a field the server refused is marked at the field. */
  start(): Promise<void> {
    const study = this.form.runToStart();
    if (!study) return Promise.resolve();
    this.view.error = '';
    this.runs.progress = null;
    const refused = JSON.stringify(this.form.study);
    return this.guard(async () => {
      try {
        const { id } = await this.api.invoke('runs:start', { study });
        this.runs.activeRunId = id;
        this.form.startAnswered(refused);
      } catch (err) {
        this.form.startAnswered(refused, err);
        throw err;
      }
      await this.runs.refresh();
    });
  }

  /** One action: run every bundled study of the report, then show its 27 figures. */
  reproduceReport(): Promise<void> {
    this.view.error = '';
    return this.guard(async () => {
      const { runIds } = await this.api.invoke('report:reproduce', {});
      this.runs.report = { runIds, done: false };
      this.view.showGallery = true;
      await this.runs.refresh();
    });
  }

  /** The start screen again (the report's studies and the presets), whatever is shown. */
  newStudy(): void {
    this.runs.deselect();
    this.view.showGallery = false;
    this.view.comparing = false;
  }
}
