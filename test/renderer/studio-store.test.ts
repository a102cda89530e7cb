import { describe, expect, it } from 'vitest';
import { Studio } from '../../src-renderer/state/studio.svelte';
import { ApiError, type ApiClient, type Channel } from '../../src-shared/api/contract';
import { coulombPair } from '../../src-main/engine/systems/presets';

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
    expect(studio.study?.system.name).toBe(coulombPair.name);
    expect(studio.projectPath).toBe('/p.lsproj');
    expect(studio.runs.map((r) => r.id)).toEqual([1, 2]);
    expect(studio.selected).toBe(2);
    expect(calls.find((c) => c.channel === 'runs:get')?.request).toEqual({ id: 2 });
    expect(studio.recent).toEqual(['/p.lsproj']);
    expect(studio.statusLine).toBe('idle');
  });

  it('says what the server would refuse as the form is typed, field by field', async () => {
    const { studio } = await connected([]);
    expect(studio.problems).toEqual([]);
    expect(studio.startProblem).toBe('');
    studio.study!.sampling.count = -3;
    expect(studio.problems.map((p) => p.path)).toEqual(['sampling.count']);
    expect(studio.startProblem).toMatch(/^points: .*at least 1/); // the field's label, then why
    studio.lagrangianProblem = 'unknown symbol beta at 12';
    expect(studio.startProblem).toBe('Lagrangian: unknown symbol beta at 12');
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
    expect(studio.error).toBe('refused');
    expect(studio.problems).toEqual([
      { path: 'optimizer.learningRate', message: 'too large for this window' },
    ]);
    studio.study!.optimizer.learningRate = 0.001;
    expect(studio.problems).toEqual([]);
    refuse = false;
    await studio.start();
    const sent = calls.filter((c) => c.channel === 'runs:start').at(-1)!.request as {
      study: { name: string; template?: string };
    };
    expect(sent.study.name).toBe(studio.generatedName);
    expect(sent.study.template).toBe(studio.template!.name);
    expect(studio.activeRunId).toBe(7);
    expect(studio.error).toBe('');
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
    expect(studio.activeRunId).toBe(3);
    emit('job:progress', progress(1, 0.5));
    emit('job:progress', progress(2, 0.25));
    expect(studio.live).toEqual({ runId: 3, steps: [1, 2], loss: [0.5, 0.25] });
    expect(studio.statusLine).toBe('');
    emit('job:status', { runId: 3, status: 'completed', message: 'completed 10 steps' });
    expect(studio.activeRunId).toBeNull();
    expect(studio.progress).toBeNull();
    expect(studio.statusLine).toBe('run #3 completed');
    emit('job:status', {
      runId: 4,
      status: 'failed',
      message: 'failed: the mass matrix is singular',
    });
    expect(studio.error).toBe('failed: the mass matrix is singular');
  });

  it('shows a Pause as pausing until the run says so; a refused Pause says why and clears', async () => {
    let refuse = false;
    const { studio, emit } = await connected([], {
      'runs:pause': () => {
        if (refuse) throw new ApiError('invalid-request', 'Run 5 has already completed');
        return { ok: true };
      },
    });
    await studio.control('runs:pause', 5);
    expect(studio.statusLine).toBe('run #5 pausing…');
    emit('job:status', { runId: 5, status: 'paused', message: '' });
    expect(studio.stopping).toBeNull();
    expect(studio.statusLine).toBe('run #5 paused');
    refuse = true;
    await studio.control('runs:pause', 5);
    expect(studio.stopping).toBeNull();
    expect(studio.error).toBe('Run 5 has already completed');
  });
});
