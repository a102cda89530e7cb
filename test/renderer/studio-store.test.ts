import { describe, expect, it } from 'vitest';
import { Studio } from '../../src-renderer/state/studio.svelte';
import { ApiError, type ApiClient, type Channel } from '../../src-shared/api/contract';
import { coulombPair } from '../../src-main/engine/systems/presets';
import { FormState } from '../../src-renderer/state/form.svelte';
import { openProject } from '../../src-renderer/state/project-actions';

/** A fake client: canned answers by channel, every call recorded, events sent by the test. */
function fakeApi(answers: Partial<Record<Channel, (request: unknown) => unknown>>) {
  const calls: Array<{ channel: Channel; request: unknown }> = [];
  const listeners = new Map<string, Array<(payload: unknown) => void>>();
  const api = {
    transport: 'http',
    invoke: (channel: Channel, request: unknown) => {
      calls.push({ channel, request });
      const answer = answers[channel];
      if (!answer) return Promise.reject(new Error(`no answer for ${channel}`));
      return new Promise((resolve) => resolve(answer(request))); // a throw becomes a rejection
    },
    on: (event: string, listener: (payload: unknown) => void) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return () => undefined;
    },
  } as unknown as ApiClient;
  const emit = (event: string, payload: unknown) =>
    listeners.get(event)?.forEach((l) => l(payload));
  return { api, calls, emit };
}

const settle = async () => {
  for (let k = 0; k < 5; k++) await new Promise((r) => setTimeout(r, 0));
};

const run = (id: number, status: string) => ({ id, name: `run ${id}`, status, tags: [] });

/** A connected studio on a project with the given runs. */
async function connected(runs: Array<ReturnType<typeof run>>, more = {}) {
  const fake = fakeApi({
    'app:info': () => ({ version: 'x', project: { path: '/p.lsproj' } }),
    'presets:list': () => [{ id: 'coulomb-pair', definition: coulombPair }],
    'runs:list': () => runs,
    'runs:get': (r) => ({ run: { id: (r as { id: number }).id } }),
    'project:size': () => ({ bytes: 0 }),
    'studies:list': () => [],
    'project:recent': () => ['/p.lsproj'],
    ...more,
  });
  const studio = new Studio(fake.api);
  studio.connect();
  await settle();
  return { studio, ...fake };
}

// Issue 31.4: the studio's state tested on its own, with a fake ApiClient (no page, no server).
describe('the studio store', () => {
  it('connects: the default study from the Coulomb preset, the runs, the newest run selected', async () => {
    const { studio, calls } = await connected([run(1, 'completed'), run(2, 'diverged')]);
    expect(studio.form.study?.system.name).toBe(coulombPair.name);
    expect(studio.project.path).toBe('/p.lsproj');
    expect(studio.runs.list.map((r) => r.id)).toEqual([1, 2]);
    expect(studio.runs.selected).toBe(2);
    expect(calls.find((c) => c.channel === 'runs:get')?.request).toEqual({ id: 2 });
    expect(studio.project.recent).toEqual(['/p.lsproj']);
    expect(studio.runs.statusLine).toBe('idle');
  });

  it('says what the server would refuse as the form is typed, field by field', async () => {
    const { studio } = await connected([]);
    expect(studio.form.problems).toEqual([]);
    expect(studio.form.startProblem).toBe('');
    studio.form.study!.sampling.count = -3;
    expect(studio.form.problems.map((p) => p.path)).toEqual(['sampling.count']);
    expect(studio.form.startProblem).toMatch(/^points: .*at least 1/); // the field's label, then why
    studio.form.lagrangianProblem = 'unknown symbol beta at 12';
    expect(studio.form.startProblem).toBe('Lagrangian: unknown symbol beta at 12');
  });

  it("starts a run named for its study; a refusal marks the server's fields until the form changes", async () => {
    let refuse = true;
    const { studio, calls } = await connected([], {
      'runs:start': () => {
        if (refuse)
          throw new ApiError('invalid-request', 'refused', undefined, [
            { path: 'study.optimizer.learningRate', message: 'too large for this window' },
          ]);
        return { id: 7, ids: [7] };
      },
    });
    await studio.start();
    expect(studio.view.error).toBe('refused');
    expect(studio.form.problems).toEqual([
      { path: 'optimizer.learningRate', message: 'too large for this window' },
    ]);
    studio.form.study!.optimizer.learningRate = 0.001;
    expect(studio.form.problems).toEqual([]);
    refuse = false;
    await studio.start();
    const sent = calls.filter((c) => c.channel === 'runs:start').at(-1)!.request as {
      study: { name: string; template?: string };
    };
    expect(sent.study.name).toBe(studio.form.generatedName);
    expect(sent.study.template).toBe(studio.form.template!.name);
    expect(studio.runs.activeRunId).toBe(7);
    expect(studio.view.error).toBe('');
  });

  it('follows a run through its events: progress, the live loss, its end, a failure', async () => {
    const { studio, emit } = await connected([]);
    const progress = (step: number, loss: number) => ({
      runId: 3,
      phase: 'training',
      step,
      maxSteps: 10,
      fraction: step / 10,
      loss,
      parameters: null,
      etaSeconds: null,
    });
    emit('job:status', { runId: 3, status: 'running', message: '' });
    expect(studio.runs.activeRunId).toBe(3);
    emit('job:progress', progress(1, 0.5));
    emit('job:progress', progress(2, 0.25));
    expect(studio.runs.live).toEqual({ runId: 3, steps: [1, 2], loss: [0.5, 0.25] });
    expect(studio.runs.statusLine).toBe('');
    emit('job:status', { runId: 3, status: 'completed', message: 'completed 10 steps' });
    expect(studio.runs.activeRunId).toBeNull();
    expect(studio.runs.progress).toBeNull();
    expect(studio.runs.statusLine).toBe('run #3 completed');
    emit('job:status', {
      runId: 4,
      status: 'failed',
      message: 'failed: the mass matrix is singular',
    });
    expect(studio.view.error).toBe('failed: the mass matrix is singular');
  });

  it('shows a Pause as pausing until the run says so; a refused Pause says why and clears', async () => {
    let refuse = false;
    const { studio, emit } = await connected([], {
      'runs:pause': () => {
        if (refuse) throw new ApiError('invalid-request', 'Run 5 has already completed');
        return { ok: true };
      },
    });
    await studio.runs.control('runs:pause', 5);
    expect(studio.runs.statusLine).toBe('run #5 pausing…');
    emit('job:status', { runId: 5, status: 'paused', message: '' });
    expect(studio.runs.stopping).toBeNull();
    expect(studio.runs.statusLine).toBe('run #5 paused');
    refuse = true;
    await studio.runs.control('runs:pause', 5);
    expect(studio.runs.stopping).toBeNull();
    expect(studio.view.error).toBe('Run 5 has already completed');
  });

  it('forgets the previous project when another opens: its runs, Compare, the report, the live loss', async () => {
    let path = '/p.lsproj';
    const { studio, emit } = await connected([run(1, 'completed'), run(2, 'completed')], {
      'app:info': () => ({ version: 'x', project: { path } }),
      'project:open': (r: unknown) => {
        path = (r as { path: string }).path;
        return { ok: true };
      },
      'runs:list': () => (path === '/p.lsproj' ? [run(1, 'completed'), run(2, 'completed')] : []),
    });
    studio.runs.compare = [1, 2];
    studio.runs.report = { runIds: { a: 1 }, done: true };
    emit('job:progress', {
      runId: 2,
      phase: 'training',
      step: 1,
      maxSteps: 9,
      fraction: 0.1,
      loss: 3,
      parameters: null,
      etaSeconds: null,
    });
    expect(studio.runs.selected).toBe(2);
    studio.project.path = '/q.lsproj';
    await openProject(studio, true);
    expect(studio.view.error).toBe('');
    expect(studio.project.info?.project?.path).toBe('/q.lsproj');
    expect(studio.runs.list).toEqual([]);
    expect(studio.runs.selected).toBeNull();
    expect(studio.runs.detail).toBeNull();
    expect(studio.runs.compare).toEqual([]);
    expect(studio.runs.report).toBeNull();
    expect(studio.runs.live.steps).toEqual([]);
    expect(studio.form.study).not.toBeNull(); // the form is the user's: it stays
  });

  it("marks the report done when its last run ends, and says a failed refresh's reason", async () => {
    let runs = [run(1, 'completed'), run(2, 'running')];
    let gone = false;
    const { studio, emit } = await connected([], {
      'runs:list': () => {
        if (gone) throw new Error('the project file is gone');
        return runs;
      },
    });
    studio.runs.report = { runIds: { a: 1, b: 2 }, done: false };
    await studio.runs.refresh();
    expect(studio.runs.reportDone).toBe(1);
    expect(studio.runs.report.done).toBe(false);
    runs = [run(1, 'completed'), run(2, 'completed')];
    emit('job:status', { runId: 2, status: 'completed', message: '' });
    await settle();
    expect(studio.runs.reportDone).toBe(2);
    expect(studio.runs.report.done).toBe(true);
    expect(studio.runs.reportStatuses).toBe('completed,completed');
    gone = true; // the next list fails: the error is shown, not an unhandled rejection
    emit('job:status', { runId: 2, status: 'completed', message: '' });
    await settle();
    expect(studio.view.error).toBe('the project file is gone');
  });
});

describe('the form store', () => {
  it("names a run after what differs from its template, or the user's name", () => {
    const form = new FormState(fakeApi({}).api);
    form.presets = [{ id: 'coulomb-pair', definition: coulombPair }];
    form.usePreset('coulomb-pair');
    const unchanged = form.runToStart()!;
    expect(unchanged.name).toBe(form.template!.name);
    form.study!.sampling.count = 777;
    const changed = form.runToStart()!;
    expect(changed.name).not.toBe(form.template!.name);
    expect(changed.name).toBe(form.generatedName);
    expect(changed.template).toBe(form.template!.name);
    form.customName = '  my run ';
    expect(form.runToStart()!.name).toBe('my run');
    form.usePreset('no-such-preset'); // nothing happens
    expect(form.study!.sampling.count).toBe(777);
  });

  it('drops a window check answered after the form moved on', async () => {
    let answer: (v: unknown) => void = () => undefined;
    const { api } = fakeApi({ 'sampling:check': () => new Promise((r) => (answer = r)) });
    const form = new FormState(api);
    form.presets = [{ id: 'coulomb-pair', definition: coulombPair }];
    form.usePreset('coulomb-pair');
    const check = form.checkWindow(form.study!);
    await settle();
    form.clearWindowCheck(); // e.g. the Lagrangian became invalid meanwhile
    answer({ finite: false, nonFinite: 5, total: 5, at: [[0, 0, 0, 0]] });
    await check;
    expect(form.windowProblem).toBe('');
  });
});
