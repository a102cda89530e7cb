import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { describeAttempts, longTasksOf } from './long-tasks';
import { hasChromium, ROOT, startServedStudio, type ServedStudio } from './browser';

describe.skipIf(!hasChromium)('reproduce the report', () => {
  let studio: ServedStudio;
  let page: Page;

  beforeAll(async () => {
    studio = await startServedStudio('gallery', { width: 1500, height: 1000 });
    page = studio.page;
    await page.waitForSelector('[data-testid="toolbar-run.reproduceReport"]:not([disabled])');
  }, 120_000);

  afterAll(async () => {
    await studio?.close();
  });

  it('one action regenerates all 27 figures of the weekly report, each drawn and captioned', async () => {
    await page.click('[data-testid="toolbar-run.reproduceReport"]');
    // Seven studies on two busy cores: about 2 minutes alone, over 4 beside the other test files.
    await page.waitForSelector('[data-testid=gallery-fig-27]', { timeout: 480_000 });
    expect(await page.locator('[data-testid^=gallery-fig-]').count()).toBe(27);
    for (let n = 1; n <= 27; n++) {
      const figure = page.locator(`[data-testid=gallery-fig-${n}]`);
      await figure.scrollIntoViewIfNeeded();
      await page.waitForFunction(
        (k) => {
          const charts = document.querySelectorAll(
            `[data-testid=gallery-fig-${k}] [data-rendered]`,
          );
          return (
            charts.length > 0 &&
            [...charts].every((c) => Number((c as HTMLElement).dataset.rendered) > 0)
          );
        },
        n,
        { timeout: 30_000 },
      );
      expect(await figure.locator('h3').textContent()).toMatch(new RegExp(`^Figure ${n} `));
      // every caption names the method of the run behind it: optimizer, rate and steps
      expect(await page.textContent(`[data-testid=gallery-method-${n}]`)).toMatch(
        /(plain gradient descent|Adam|AdaGrad|RMSProp|momentum), lr [\d.e-]+.*, \d+ steps/,
      );
    }
    // figures 3, 5, 7 and 18, 20, 22 are captioned gradient descent, as in the report: their
    // runs' configurations are plain gradient descent
    for (const n of [3, 5, 7, 18, 20, 22]) {
      expect(await page.getAttribute(`[data-testid=gallery-fig-${n}]`, 'data-optimizer')).toBe(
        'gd',
      );
      expect(await page.textContent(`[data-testid=gallery-method-${n}]`)).toMatch(
        /plain gradient descent/,
      );
    }
    expect(await page.locator('[data-testid=gallery-fig-24] [data-rendered]').count()).toBe(4);
    // figure 13 (run 2, trained on q₁ > q₀ + ε only): the untrained half-plane is greyed (30.10)
    expect(
      await page.getAttribute('[data-testid=gallery-fig-13] [data-series]', 'data-series'),
    ).toMatch(/not trained \(q₁ ≤ q₀ \+ 0\.1\)/);
    await page
      .locator('[data-testid=gallery-fig-16]')
      .screenshot({ path: join(ROOT, 'docs/figures/gallery-fig16-validation.png') });
  }, 560_000);

  it('persists: closed and reopened, the gallery renders from the stored runs, starting none', async () => {
    const runs = () => page.locator('[data-testid^=run-status-]').count();
    const before = await runs();
    await page.click('text=close the gallery');
    await page.waitForSelector('[data-testid=gallery]', { state: 'detached' });
    // Issue 30.11: building the gallery from stored runs (27 figures, 9 fields) never blocks the
    // page long: every long task (> 50 ms) it causes is recorded until the last chart has drawn.
    const reopen = async () => {
      await page.click('[data-testid="toolbar-run.reproduceReport"]');
      await page.waitForSelector('[data-testid=gallery-fig-27]', { timeout: 60_000 });
      expect(await page.locator('[data-testid^=gallery-fig-]').count()).toBe(27);
      await page.waitForFunction(
        () => {
          const charts = document.querySelectorAll('[data-testid=gallery] [data-rendered]');
          return (
            charts.length > 27 &&
            [...charts].every((c) => Number((c as HTMLElement).dataset.rendered) > 0)
          );
        },
        undefined,
        { timeout: 60_000 },
      );
    };
    const { tasks, attempts, bound } = await longTasksOf(page, reopen, async () => {
      await page.click('text=close the gallery');
      await page.waitForSelector('[data-testid=gallery]', { state: 'detached' });
    });
    console.log(`long tasks building the gallery (ms): ${describeAttempts(attempts, bound)}`);
    // Issue 30.11's 200 ms. Before: 33 s blocked in all, longest 4.1 s; alone, none over 60 ms
    // now (options built in each chart's own task, page histories trimmed, arrows one path).
    expect(Math.max(0, ...tasks)).toBeLessThan(bound);
    expect(await runs()).toBe(before);
  }, 120_000);

  it('exports the report: files named by figure number, figure 24 composed, numbers in figures.json (30.9)', async () => {
    const out = join(studio.dir, 'report-figures');
    await page.fill('[data-testid=gallery-export-dir]', out);
    await page.selectOption('[data-testid=gallery-export-style]', 'paper');
    await page.uncheck('[data-testid=gallery-export-png]');
    await page.uncheck('[data-testid=gallery-export-svg]');
    await page.check('[data-testid=gallery-export-pdf]');
    await page.check('[data-testid=gallery-export-csv]');
    await page.click('[data-testid=gallery-export-button]');
    await page.waitForSelector('[data-testid=gallery-export-message]:has-text("wrote")', {
      timeout: 240_000,
    });
    const files = readdirSync(out);
    for (let n = 1; n <= 27; n++)
      expect(
        files.some((f) => f.startsWith(`fig${String(n).padStart(2, '0')}-`) && f.endsWith('.pdf')),
      ).toBe(true);
    expect(files).toContain('fig13-error-absolute-run2.pdf');
    const manifest = JSON.parse(readFileSync(join(out, 'figures.json'), 'utf8')) as Array<{
      figure: number;
      section: string;
      caption: string;
      files: string[];
    }>;
    expect(manifest.map((m) => m.figure)).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
    expect(manifest[12]!.files).toEqual([
      'fig13-error-absolute-run2.pdf',
      'fig13-error-absolute-run2.csv',
    ]);
    expect(manifest[12]!.section).toBe('2.2');
    // figure 24: its four widths in one 2 × 2 page of paper panels (6.8 × 5.2 in), each panel's
    // data in its own CSV
    const fig24 = readFileSync(join(out, 'fig24-zoom-series.pdf'));
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(fig24.toString('latin1'))!;
    expect(Number(box[1])).toBeCloseTo(6.8 * 72, 1);
    expect(Number(box[2])).toBeCloseTo(5.2 * 72, 1);
    const text = execFileSync('pdftotext', ['-', '-'], { input: fig24, encoding: 'utf8' });
    for (const w of ['0.1', '0.01', '0.001', '0.0002']) expect(text).toContain(`width ${w}`);
    expect(manifest[23]!.files.filter((f) => f.endsWith('.csv'))).toHaveLength(4);
    // figure 18: loss and ratios side by side
    const fig18 = readFileSync(join(out, 'fig18-loss-ratio-origin.pdf'));
    expect(Number(/\/MediaBox \[0 0 ([\d.]+)/.exec(fig18.toString('latin1'))![1])).toBeCloseTo(
      6.8 * 72,
      1,
    );
  }, 300_000);

  it('pausing a report run mid-gallery leaves the gallery intact; resuming completes it', async () => {
    const store = studio.session.store!;
    const queue = studio.session.queue!;
    // Without its §1.2.1 run the report reruns only that one; it is paused at its first step
    // (server-side, the same call as the toolbar's Pause) while the gallery is open.
    const farRun = store.listRuns().find((r) => r.name.startsWith('1.2.1'))!;
    // the export's toast may still be fading over the link: click until the gallery is gone
    await expect
      .poll(
        async () => {
          if (await page.locator('[data-testid=gallery]').count())
            await page.click('text=close the gallery', { timeout: 5000 }).catch(() => undefined);
          return page.locator('[data-testid=gallery]').count();
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe(0);
    store.deleteRun(farRun.id);
    let paused: number | null = null;
    const stop = studio.session.subscribe('job:progress', (p) => {
      if (paused === null && p.phase === 'training') queue.pause((paused = p.runId));
    });
    try {
      await page.click('[data-testid="toolbar-run.reproduceReport"]');
      await page.waitForSelector('[data-testid=gallery]');
      await expect.poll(() => paused, { timeout: 60_000 }).not.toBeNull();
      expect(await queue.waitFor(paused!)).toBe('paused');
    } finally {
      stop();
    }
    // The gallery stays up and names the run it waits for (a page error would fail the test).
    await page.waitForSelector(`[data-testid=gallery-unfinished]:has-text("#${paused} ")`);
    expect(await page.textContent('[data-testid=gallery-unfinished]')).toMatch(/\(paused[,:) ]/);
    // Resumed and finished, the gallery completes by itself.
    queue.resume(paused!);
    expect(await queue.waitFor(paused!)).toMatch(/completed|converged/);
    await page.waitForSelector('[data-testid=gallery-fig-27]', { timeout: 60_000 });
    expect(await page.locator('[data-testid^=gallery-fig-]').count()).toBe(27);
    expect(await page.locator('[data-testid=gallery-unfinished]').count()).toBe(0);
  }, 180_000);
});
