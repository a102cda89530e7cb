import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHttpBridge, type HttpBridge } from '../../src-main/api/http';
import { createHandlers } from '../../src-main/api/handlers';
import { ProjectSession } from '../../src-main/api/session';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const ROOT = join(__dirname, '../..');

/**
 * Debian's Chromium, headless, with the flags this closed network needs (never a browser download).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Build when out/ is missing or older than the sources. Test files run in parallel, so the
 * build runs under a lock (an atomic mkdir) and the others wait for it, then check again.
 */
export function ensureRendererBuilt(): string {
  const out = join(ROOT, 'out/renderer');
  const index = join(out, 'index.html');
  const sources = ['src-renderer', 'src-shared', 'src-main'].map((d) => join(ROOT, d));
  const stale = () =>
    !existsSync(index) || statSync(index).mtimeMs < Math.max(...sources.map(newestMtime));
  const lock = join(ROOT, '.build-lock');
  const deadline = Date.now() + 180_000;
  while (stale()) {
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} is held: remove it if no build runs`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      continue;
    }
    try {
      if (stale())
        execFileSync(
          process.execPath,
          [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
          { cwd: ROOT, stdio: 'pipe' },
        );
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return out;
}

/** A served studio on a fresh project in a temporary folder, and a Chromium page on it. */
export interface ServedStudio {
  readonly browser: Browser;
  readonly page: Page;
  readonly bridge: HttpBridge;
  readonly session: ProjectSession;
  readonly dir: string;
  close(): Promise<void>;
}

export async function startServedStudio(
  name: string,
  viewport = { width: 1600, height: 1100 },
): Promise<ServedStudio> {
  const ui = ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), `lagrange-${name}-`));
  const session = new ProjectSession({ checkpointIntervalMs: 200 });
  await session.open(join(dir, `${name}.lsproj`), true);
  const bridge = await startHttpBridge({
    handlers: createHandlers(session, 'http'),
    events: session,
    uploadFolder: () => session.uploadFolder(),
    staticDir: ui,
  });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(bridge.url);
  return {
    browser,
    page,
    bridge,
    session,
    dir,
    async close() {
      await browser.close();
      await bridge.close();
      await session.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A served studio with its start screen up and Start enabled: where most e2e tests begin. */
export async function readyStudio(
  name: string,
  viewport?: { width: number; height: number },
): Promise<ServedStudio> {
  const studio = await startServedStudio(name, viewport);
  await studio.page.waitForSelector('[data-testid=start]:not([disabled])');
  await studio.page.waitForSelector('[data-testid=start-screen] li');
  return studio;
}
