// SIGTERM to `lagrange study` and `lagrange serve` mid-training leaves the run interrupted and
// resumable with its history; a served app opening a project the study CLI writes gets it
// read-only, and the CLI's run completes untouched.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { coulombPair, reportOriginWindow } from '../../src-main/engine/systems/presets';
import { ProjectStore } from '../../src-main/store/project-store';
import { ensureRendererBuilt, ROOT } from '../e2e/browser';

const BIN = join(ROOT, 'bin/lagrange.mjs');
const children: ChildProcess[] = [];
let dir: string;

interface Running {
  readonly child: ChildProcess;
  out: string;
  err: string;
  readonly exit: Promise<number | null>;
}

function lagrange(args: string[]): Running {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: 'pipe' });
  children.push(child);
  const r: Running = {
    child,
    out: '',
    err: '',
    exit: new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
    ),
  };
  child.stdout.on('data', (d: Buffer) => (r.out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (r.err += d.toString()));
  return r;
}

/** `lagrange study` of the short study into `project`, checkpointing every 0.2 s. */
const SHORT_STEPS = 15_000;
const trainShort = (project: string) =>
  lagrange(['study', join(dir, 'short.json'), '--project', project, '--checkpoint-seconds', '0.2']);

const until = async (cond: () => boolean, ms = 60_000, what = 'condition') => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** The step stored for a run, read without taking the project (the writer keeps it). */
function storedStep(project: string, runId: number): number {
  try {
    const s = ProjectStore.open(project, { readOnly: true });
    try {
      return s.getRun(runId)?.step ?? 0;
    } finally {
      s.close();
    }
  } catch {
    return 0; // not created yet
  }
}

const study = (maxSteps: number) => ({
  name: 'signals',
  system: coulombPair,
  // 50 000 points: a step of the fused kernel takes ~0.1 ms, so a long run is still training
  // when the signal arrives.
  sampling: { window: reportOriginWindow(), count: 50_000, seed: 1 },
  model: { family: 'exact-form', learnable: ['k', 'alpha'], initial: { k: 1, alpha: 0.2 } },
  optimizer: { algorithm: 'adam', learningRate: 0.01 },
  stopping: { maxSteps },
  route: 'graph',
});

beforeAll(() => {
  ensureRendererBuilt();
  dir = mkdtempSync(join(tmpdir(), 'lagrange-signals-'));
  // long enough (about 1.5 s of training) that serve, started mid-run, still finds it writing
  writeFileSync(join(dir, 'short.json'), JSON.stringify(study(SHORT_STEPS)));
  writeFileSync(join(dir, 'long.json'), JSON.stringify(study(200_000)));
}, 240_000);
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('signals and owners', () => {
  it('SIGTERM to lagrange study: interrupted, then --resume finishes with the history intact', async () => {
    const project = join(dir, 'study.lsproj');
    const run = trainShort(project);
    await until(() => storedStep(project, 1) > 100, 60_000, 'a checkpoint');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(143);
    expect(run.err).toMatch(/interrupted at step \d+/);
    expect(run.err).toMatch(new RegExp(`--project ${project} --resume 1`));
    let store = ProjectStore.open(project, { readOnly: true });
    const stopped = store.getRun(1)!;
    expect(stopped.status).toBe('interrupted');
    const before = store.metrics(1);
    store.close();
    expect(before.steps.at(-1)).toBe(stopped.step);

    const resumed = lagrange(['study', '--project', project, '--resume', '1']);
    expect(await resumed.exit).toBe(0);
    store = ProjectStore.open(project, { readOnly: true });
    expect(store.getRun(1)!.status).toBe('completed');
    const after = store.metrics(1);
    store.close();
    expect(after.steps[0]).toBe(0);
    expect(after.steps.at(-1)).toBe(SHORT_STEPS);
    const stride = after.steps[1]! - after.steps[0]!;
    for (let i = 0; i < before.steps.length; i++)
      if (before.steps[i]! % stride === 0)
        expect(after.loss[after.steps.indexOf(before.steps[i]!)]).toBe(before.loss[i]);
  }, 120_000);

  it('SIGTERM to lagrange serve mid-training leaves the run interrupted', async () => {
    const project = join(dir, 'serve.lsproj');
    const serve = lagrange(['serve', '--project', project, '--port', '0']);
    await until(() => /Lagrange Studio is at (\S+)/.test(serve.out), 60_000, 'the address');
    const url = new URL(/Lagrange Studio is at (\S+)/.exec(serve.out)![1]!);
    const token = url.searchParams.get('token')!;
    const response = await fetch(new URL('/api/runs:start', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lagrange-token': token },
      body: JSON.stringify({ study: study(200_000) }),
    });
    const body = (await response.json()) as { ok: boolean; value: { id: number } };
    expect(body.ok).toBe(true);
    const id = body.value.id;
    await until(() => storedStep(project, id) > 50, 60_000, 'a checkpoint');
    serve.child.kill('SIGTERM');
    expect(await serve.exit).toBe(0);
    expect(serve.out).toMatch(/1 run is training: stopping it at the next checkpoint/);
    const store = ProjectStore.open(project, { readOnly: true });
    expect(store.getRun(id)!.status).toBe('interrupted');
    expect(store.getRun(id)!.step).toBeGreaterThan(50);
    expect(store.metrics(id).steps[0]).toBe(0);
    store.close();
  }, 120_000);

  it('serve opens a project the study CLI is training read-only; the CLI run completes untouched', async () => {
    const project = join(dir, 'shared.lsproj');
    const cli = trainShort(project);
    await until(() => storedStep(project, 1) > 10, 60_000, 'training');
    const serve = lagrange(['serve', '--project', project, '--port', '0']);
    await until(() => /Lagrange Studio is at/.test(serve.out), 60_000, 'the address');
    expect(serve.out).toMatch(/\(read-only: lagrange study, pid \d+ on .+, since .+ writes it\)/);
    const url = new URL(/Lagrange Studio is at (\S+)/.exec(serve.out)![1]!);
    const call = (channel: string, request: unknown) =>
      fetch(new URL(`/api/${channel}`, url), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-lagrange-token': url.searchParams.get('token')!,
        },
        body: JSON.stringify(request),
      }).then(
        (r) => r.json() as Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>,
      );
    const runs = await call('runs:list', {});
    expect(runs.ok).toBe(true);
    const start = await call('runs:start', { study: study(10) });
    expect(start.error?.code).toBe('read-only');
    serve.child.kill('SIGTERM');
    expect(await serve.exit).toBe(0);
    expect(await cli.exit).toBe(0);
    const store = ProjectStore.open(project);
    expect(store.listRuns()).toHaveLength(1);
    expect(store.getRun(1)!.status).toBe('completed');
    expect(store.metrics(1).steps.at(-1)).toBe(SHORT_STEPS);
    store.close();
  }, 120_000);
});
