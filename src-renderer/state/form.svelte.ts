/*
 * The study being edited: the form, the study it was loaded from (runs are named after what
 * differs from it), and every problem the server would refuse, shown at its field as it is typed.
 */
import { untrack } from 'svelte';
import type { ApiClient, StudySpec, SystemDefinition } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/contract';
import { defaultStudy } from '../lib/default-study';
import { runDescription, runName } from '../../src-shared/study/run-name';
import { windowProblemText } from '../../src-shared/study/window-problem';
import {
  describeProblem,
  formProblems,
  refusedStudyFields,
  type FormProblem,
} from '../../src-shared/study/form-problems';

export class FormState {
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

  constructor(private readonly api: ApiClient) {}

  /** A copy of a study in the form, as the template of the runs that follow (the example stays). */
  load(study: StudySpec): void {
    this.study = structuredClone($state.snapshot<StudySpec>(study));
    this.template = structuredClone($state.snapshot<StudySpec>(study));
    this.customName = '';
  }

  usePreset(id: string): void {
    const p = this.presets.find((x) => x.id === id);
    if (p) this.load(defaultStudy(p.definition));
  }

  /** No window check applies (a bad L or window, measured data): drop one in flight too. */
  clearWindowCheck(): void {
    this.windowCheck++;
    this.windowProblem = '';
  }

  /**
   * The window against the true L, 300 ms after the last edit of the system or the window; run in
   * an effect (only those parts are read, so other edits do not re-check). Returns the cleanup.
   */
  watchWindow(): (() => void) | undefined {
    const form = this.study;
    if (!form || form.measured || this.lagrangianProblem) {
      this.clearWindowCheck();
      return;
    }
    const part = {
      system: $state.snapshot(form.system),
      window: $state.snapshot(form.sampling.window),
      trueParameters: $state.snapshot(form.trueParameters),
    };
    const rest = untrack(() => $state.snapshot(form));
    const probe: StudySpec = {
      ...rest,
      system: part.system,
      sampling: { ...rest.sampling, window: part.window },
      ...(part.trueParameters ? { trueParameters: part.trueParameters } : {}),
    };
    const typed = formProblems(probe);
    if (typed.some((p) => p.path.startsWith('sampling.window') || p.path.startsWith('system'))) {
      this.clearWindowCheck();
      return;
    }
    const timer = setTimeout(() => void this.checkWindow(probe), 300);
    return () => clearTimeout(timer);
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
      // the probe is advice: the server checks the window again at Start
      if (mine === this.windowCheck) this.windowProblem = '';
    }
  }

  /**
   * The form as a run to start, named for what it is: the template's name only while nothing
   * differs from it. Null without a form.
   */
  runToStart(): StudySpec | null {
    const form = this.study;
    if (!form) return null;
    return {
      ...$state.snapshot<StudySpec>(form),
      name: this.customName.trim() || this.generatedName,
      description: runDescription(form, this.template),
      ...(this.template ? { template: this.template.name } : {}),
    };
  }

  /** Start's answer: a refusal marks the server's fields (until the form changes), a run clears. */
  startAnswered(refused: string, err?: unknown): void {
    const problems = err instanceof ApiError ? refusedStudyFields(err.fields) : [];
    this.serverProblems = problems.length ? { form: refused, problems } : null;
  }
}
