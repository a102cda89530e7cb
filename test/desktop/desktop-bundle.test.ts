// The built desktop app, end to end, without Electron: out/main/index.js runs in Node with a
// stand-in for the `electron` module (test/desktop/stand-in), its window is a Chromium page, and
// its preload bridges the page to ipcMain. This proves the built paths (workers, wasm files,
// bundled studies, preload) resolve from out/, and drives the app as a user would: open a project
// through the (stubbed) native dialog, run the report's §1.1 study, export a figure through the
// save dialog, and quit during a second run, which must be left interrupted, not failed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracked } from '../child-processes';
import { resolutionOf } from '../../src-shared/charts/png-resolution';
import { ProjectStore } from '../../src-main/store/project-store';
import { ensureRendererBuilt, hasChromium, ROOT } from '../e2e/browser';

const STAND_IN = join(__dirname, 'stand-in/register.cjs');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const until = async <T>(
  get: () => Promise<T | null> | T | null,
  ms: number,
  what: string,
  context: () => string = () => '',
) => {
  const t0 = Date.now();
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}\n${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe.skipIf(!hasChromium)('the built desktop bundle under a stand-in Electron', () => {
  let dir: string;
  let app: ChildProcess;
  let browser: Browser;
  let page: Page;
  let output = '';
  let exited: Promise<number | null>;
  const dialogs = () => join(dir, 'dialogs.json');
  const answer = (a: Record<string, unknown>) => writeFileSync(dialogs(), JSON.stringify(a));
  const logged = () =>
    existsSync(join(dir, 'log.jsonl'))
      ? readFileSync(join(dir, 'log.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>)
      : [];

  beforeAll(async () => {
    ensureRendererBuilt();
    dir = mkdtempSync(join(tmpdir(), 'lagrange-desktop-'));
    answer({});
    const port = await freePort();
    app = tracked(
      spawn(process.execPath, ['--require', STAND_IN, join(ROOT, 'out/main/index.js')], {
        cwd: dir, // nothing may depend on the working folder
        env: {
          ...process.env,
          STANDIN_DIALOGS: dialogs(),
          STANDIN_LOG: join(dir, 'log.jsonl'),
          STANDIN_USER_DATA: join(dir, 'user-data'),
          STANDIN_CDP_PORT: String(port),
        },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        detached: true, // its own process group: Chromium and workers are killed with it
      }),
    );
    app.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    app.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    exited = new Promise((resolve) => app.once('exit', (code) => resolve(code)));
    browser = await until(
      () => chromium.connectOverCDP(`http://127.0.0.1:${port}`).catch(() => null),
      60_000,
      'the stand-in’s Chromium',
    );
    page = await until(
      () =>
        browser
          .contexts()
          .flatMap((c) => c.pages())
          .find((p) => p.url().endsWith('/out/renderer/index.html')) ?? null,
      60_000,
      'the app window',
      () => output,
    );
    await page.waitForSelector('[data-testid=start-screen]', { timeout: 60_000 });
  }, 240_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    if (app && app.exitCode === null) {
      app.kill('SIGTERM'); // the app's own quit: jobs stop, Chromium closes
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      try {
        process.kill(-app.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    // Chromium runs in its own process group: anything left with our profile folder goes too.
    if (dir) spawnSync('pkill', ['-KILL', '-f', join(dir, 'user-data')]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has the preload bridge and, like Electron, no window.prompt', async () => {
    expect(
      await page.evaluate(
        () => typeof (window as { lagrangeIpc?: { invoke?: unknown } }).lagrangeIpc?.invoke,
      ),
    ).toBe('function');
    const prompt = await page.evaluate(() => {
      try {
        // eslint-disable-next-line no-restricted-properties -- it must fail, as in Electron
        window.prompt('name?');
        return 'answered';
      } catch (err) {
        return (err as Error).message;
      }
    });
    expect(prompt).toMatch(/not be supported/);
    // the app's own page is trusted over IPC; the startup found its database module
    expect(logged().filter((e) => e.kind === 'error')).toEqual([]);
  });

  it('opens a project through the native dialog and runs the §1.1 study (with Adam), showing k and α', async () => {
    const project = join(dir, 'desk.lsproj');
    answer({ save: project });
    await page.click('[data-testid="toolbar-file.new"]');
    await page.waitForSelector(`[data-testid=project]:text-is("${project}")`, {
      state: 'attached',
      timeout: 30_000,
    });
    expect(existsSync(project)).toBe(true);
    await page.click('[data-testid="example-1.1-origin-exact-fit-adam.json"]');
    await page.click('[data-testid=start]:not([disabled])');
    await page.waitForSelector('[data-testid=run-status-1]:text-is("completed")', {
      timeout: 180_000,
    });
    await page.waitForSelector('[data-testid=fitted-k]');
    const k = Number(await page.textContent('[data-testid=fitted-k]'));
    const alpha = Number(await page.textContent('[data-testid=fitted-alpha]'));
    expect(Math.abs(k - 4)).toBeLessThan(1e-3);
    expect(Math.abs(alpha - 1)).toBeLessThan(1e-3);
  }, 240_000);

  it('exports a figure through the native save dialog', async () => {
    const file = join(dir, 'loss-figure.png');
    answer({ save: file });
    await page.waitForSelector(
      '[data-testid="chart-loss"][data-rendered]:not([data-rendered="0"])',
    );
    await page.click('[data-testid=chart-loss-png]');
    await page.waitForSelector('[data-testid=toast]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid=toast]')).toBe(`saved ${file}`);
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(resolutionOf(png)).toBe(300);
    const save = logged().find((e) => e.kind === 'save' && e.answer === file)!;
    expect(save.title).toBe('Export figure');
  }, 60_000);

  it('exports run data through a utility process (native code never in the main process)', async () => {
    const out = join(dir, 'data-export');
    const reply = await page.evaluate(
      async (folder) =>
        (
          window as unknown as {
            lagrangeIpc: {
              invoke(c: string, r: unknown): Promise<{ ok: boolean; value?: unknown }>;
            };
          }
        ).lagrangeIpc.invoke('export:data', { runIds: [1], dir: folder, formats: ['csv'] }),
      out,
    );
    expect(reply.ok).toBe(true);
    const folder = readdirSync(out)[0]!;
    expect(folder).toMatch(/^run-1-/);
    expect(existsSync(join(out, folder, 'metrics.csv'))).toBe(true);
    const forked = logged().filter((e) => e.type === 'utilityProcess');
    expect(forked.at(-1)?.modulePath).toMatch(/out[\\/]main[\\/]export-worker\.js$/);
  }, 60_000);

  it('quitting during a second run asks first, then leaves the run interrupted', async () => {
    await page.fill('[data-testid=steps]', '400000');
    await page.click('[data-testid=start]:not([disabled])');
    await page.waitForSelector('[data-testid=run-status-2]:text-is("running")', {
      timeout: 60_000,
    });
    await until(
      async () =>
        /step [1-9]\d{2,}\//.test((await page.textContent('[data-testid=progress-text]')) ?? ''),
      60_000,
      'training past step 100',
    );
    await new Promise((r) => setTimeout(r, 2500)); // past the first periodic checkpoint
    answer({ messageBox: 0 }); // "Stop and quit"
    app.send({ type: 'quit' });
    expect(await exited).toBe(0);
    const asked = logged().find((e) => e.kind === 'messageBox')!;
    expect(asked.message).toBe('1 run is training. Stop it and keep its checkpoint?');
    const store = ProjectStore.open(join(dir, 'desk.lsproj'), { readOnly: true });
    const second = store.getRun(2)!;
    store.close();
    expect(second.status).toBe('interrupted');
    expect(second.message).toMatch(/interrupted at step \d+ when the app closed/);
    expect(second.step).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'desk.lsproj.lock'))).toBe(false);
  }, 120_000);
});
