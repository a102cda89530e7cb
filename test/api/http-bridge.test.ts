import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { MAX_EVENT_STREAMS, startHttpBridge, type HttpBridge } from '../../src-main/api/http';
import { createHandlers } from '../../src-main/api/handlers';
import { ProjectSession } from '../../src-main/api/session';
import { coulombPair, reportOriginWindow } from '../../src-main/engine/systems/presets';

let bridge: HttpBridge;
let session: ProjectSession;
let dir: string;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lagrange-http-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  session = new ProjectSession({ checkpointIntervalMs: 200 });
  bridge = await startHttpBridge({
    handlers: createHandlers(session, 'http'),
    events: session,
    staticDir: dir,
  });
  base = new URL(bridge.url).origin;
});
afterAll(async () => {
  await bridge.close();
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (channel: string, body: unknown, token: string | null = bridge.token) =>
  fetch(`${base}/api/${channel}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { 'x-lagrange-token': token } : {}),
    },
    body: JSON.stringify(body),
  });

describe('HTTP bridge', () => {
  it('answers a 40 MiB body with 413 too-large (read to the end, not reset) and keeps serving', async () => {
    const big = 'x'.repeat(40 * 2 ** 20);
    const res = await fetch(`${base}/api/presets:list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lagrange-token': bridge.token },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('too-large');
    expect((await call('presets:list', {})).status).toBe(200);
  });

  it('answers malformed %-escapes with 400 bad-path, not 500', async () => {
    for (const path of ['/%E0%A4%A', '/api/%ZZ']) {
      const res = await fetch(`${base}${path}`, {
        method: path.startsWith('/api/') ? 'POST' : 'GET',
        headers: { 'x-lagrange-token': bridge.token },
      });
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad-path');
    }
  });

  it('refuses requests without the token, or with a wrong one', async () => {
    expect((await call('presets:list', {}, null)).status).toBe(401);
    expect((await call('presets:list', {}, 'x'.repeat(48))).status).toBe(401);
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
  });

  it('answers with the token and validates input', async () => {
    const ok = await (await call('presets:list', {})).json();
    expect(ok.ok).toBe(true);
    expect(ok.value.map((p: { id: string }) => p.id)).toContain('coulomb-pair');
    const bad = await (
      await call('system:check', { system: { ...coulombPair, lagrangian: '0.5*qd0^2 - beta' } })
    ).json();
    expect(bad).toMatchObject({ ok: false, error: { code: 'unknown-symbol', position: 12 } });
    const invalid = await (await call('runs:get', { id: 'seven' })).json();
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(invalid.error.message).toMatch(/id/);
    expect((await call('no:such', {})).status).toBe(404);
  });

  it('binds to 127.0.0.1 only and rejects a foreign Host header', async () => {
    expect(bridge.server.address()).toMatchObject({ address: '127.0.0.1' });
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      const port = new URL(base).port;
      await expect(
        fetch(`http://${external.address}:${port}/api/presets:list`, { method: 'POST' }),
      ).rejects.toThrow();
    }
    const status = await new Promise<number>((resolve) => {
      const u = new URL(base);
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: '/api/presets:list',
          method: 'POST',
          headers: { host: 'evil.example:80', 'x-lagrange-token': bridge.token },
        },
        (res) => resolve(res.statusCode!),
      );
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('serves the UI, never files outside it', async () => {
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect((await fetch(`${base}/..%2f..%2fetc%2fpasswd`)).status).toBeGreaterThanOrEqual(403);
  });

  it('runs a study end to end over HTTP with progress events', async () => {
    const events: string[] = [];
    const controller = new AbortController();
    const stream = fetch(`${base}/api/events?token=${bridge.token}`, { signal: controller.signal })
      .then(async (res) => {
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          events.push(decoder.decode(value));
        }
      })
      .catch(() => undefined);
    await (await call('project:open', { path: join(dir, 'p.lsproj'), create: true })).json();
    const study = {
      name: 'http',
      system: coulombPair,
      sampling: {
        window: reportOriginWindow(),
        count: 500,
        seed: 1,
      },
      model: { family: 'exact-form', learnable: ['k', 'alpha'], initial: { k: 1, alpha: 0.2 } },
      optimizer: { algorithm: 'adam', learningRate: 0.01 },
      stopping: { maxSteps: 1000 },
    };
    const started = await (await call('runs:start', { study })).json();
    expect(started.ok).toBe(true);
    const id = started.value.id;
    for (let i = 0; i < 300; i++) {
      const runs = (await (await call('runs:list', {})).json()).value;
      if (runs[0].status === 'completed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const detail = (await (await call('runs:get', { id })).json()).value;
    expect(detail.run.status).toBe('completed');
    expect(Math.abs(detail.run.results.training.parameters[0] - 4)).toBeLessThan(1e-3);
    expect(events.join('')).toMatch(/event: job:status/);
    // A report bundle is rendered in a worker and written to the folder.
    const bundle = await (
      await call('export:bundle', { runIds: [id], dir: join(dir, 'bundle'), dpi: 72 })
    ).json();
    expect(bundle.ok).toBe(true);
    expect(bundle.value.files.some((f: string) => f.endsWith('summary.md'))).toBe(true);
    expect(readFileSync(join(dir, 'bundle/summary.md'), 'utf8')).toMatch(
      /\| fitted \| k = 4\.0000/,
    );
    expect(
      bundle.value.files.filter((f: string) => f.endsWith('.svg')).length,
    ).toBeGreaterThanOrEqual(4);
    controller.abort();
    await stream;
  });
});

describe('many event streams (issue 32.15)', () => {
  it('twenty browser tabs: no MaxListenersExceededWarning; past the bound, a 503 in words', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const controllers: AbortController[] = [];
    // kept: a response nobody holds is collected and its connection closed
    const responses: Response[] = [];
    const open = async () => {
      const controller = new AbortController();
      controllers.push(controller);
      const r = await fetch(`${base}/api/events?token=${bridge.token}`, {
        signal: controller.signal,
      });
      responses.push(r);
      return r;
    };
    try {
      for (let i = 0; i < 20; i++) expect((await open()).status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
      for (let i = 20; i < MAX_EVENT_STREAMS; i++) expect((await open()).status).toBe(200);
      const refused = await open();
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
        /event streams are open already/,
      );
    } finally {
      process.off('warning', onWarning);
      for (const c of controllers) c.abort();
    }
  });
});
