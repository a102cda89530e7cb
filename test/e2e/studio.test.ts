import { resolutionOf } from '../../src-shared/charts/png-resolution';
import { contrastRatio, DARK } from '../../src-shared/charts/screen-theme';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { homedir } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import type { HttpBridge } from '../../src-main/api/http';
import { describeAttempts, longTasksOf } from './long-tasks';
import { hasChromium, ROOT, startServedStudio, type ServedStudio } from './browser';

const FIGURES = join(ROOT, 'docs/figures');

describe.skipIf(!hasChromium)('the studio in Chromium (served UI)', () => {
  let studio: ServedStudio;
  let browser: Browser;
  let page: Page;
  let bridge: HttpBridge;
  let dir: string;

  beforeAll(async () => {
    studio = await startServedStudio('e2e');
    ({ browser, page, bridge, dir } = studio);
    await page.waitForSelector('[data-testid=start]:not([disabled])');
    mkdirSync(FIGURES, { recursive: true });
    await page.waitForSelector('[data-testid=start-screen] li');
    await page.screenshot({ path: join(FIGURES, 'guide-1-start.png') });
  }, 120_000);

  afterAll(async () => {
    await studio?.close();
  });

  /**
   * Wait until a chart has drawn, then check its canvas has non-background pixels. The figures
   * view may remount a chart when the runs list refreshes (the previous run's status arriving);
   * a chart gone between the wait and the read is waited for again, up to three times.
   */
  async function expectDrawn(testid: string, seriesAtLeast: number): Promise<void> {
    const sel = `[data-testid="${testid}"]`;
    for (let attempt = 1; ; attempt++) {
      await page.waitForSelector(`${sel}[data-rendered]:not([data-rendered="0"])`, {
        timeout: 60_000,
      });
      // A chart may first draw an empty option while its data load (each chart draws in its own
      // task): wait for the series, then for that option to be drawn.
      await page.waitForFunction(
        ([s, n]) => Number(document.querySelector<HTMLElement>(s)?.dataset.seriesCount) >= n,
        [sel, seriesAtLeast] as const,
        { timeout: 60_000 },
      );
      await new Promise((r) => setTimeout(r, 200));
      const info = await page.evaluate((s) => {
        const el = document.querySelector<HTMLElement>(s);
        const canvas = el?.querySelector('canvas');
        if (!el || !canvas) return null;
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let inked = 0;
        for (let i = 0; i < data.length; i += 4)
          if (data[i + 3]! > 0 && (data[i]! < 240 || data[i + 1]! < 240 || data[i + 2]! < 240))
            inked++;
        return { inked, series: Number(el.dataset.seriesCount) };
      }, sel);
      if (!info && attempt < 3) continue;
      expect(info, `${testid} was remounted three times`).not.toBeNull();
      expect(info!.inked).toBeGreaterThan(500);
      expect(info!.series).toBeGreaterThanOrEqual(seriesAtLeast);
      return;
    }
  }

  async function shot(testid: string, name: string) {
    await page.locator(`[data-testid="${testid}"]`).screenshot({ path: join(FIGURES, name) });
  }

  /**
   * The next run's id: one past the highest shown (reading the list right after Start would race
   * its refresh).
   */
  async function nextRunId(): Promise<number> {
    const shown = await page
      .locator('[data-testid^=run-status-]')
      .evaluateAll((els) =>
        els.map((e) => Number(e.getAttribute('data-testid')!.split('-').pop())),
      );
    return Math.max(0, ...shown) + 1;
  }

  /**
   * Wait for the run to reach `status`; if it ends another way first (failed, …), fail at once
   * with the run's message instead of waiting out the timeout. `leaving` is the status the run
   * has when the action that moves it was clicked (resume from "paused"): until the server's
   * answer reaches the list the cell still shows it, which is not where the run ended.
   */
  async function waitForStatus(id: number, status: string, leaving?: string) {
    const cell = `[data-testid=run-status-${id}]`;
    if (leaving)
      await page.waitForFunction(
        ([sel, was]) => document.querySelector(sel)?.textContent !== was,
        [cell, leaving] as const,
        { timeout: 30_000 },
      );
    const ends = ['completed', 'converged', 'diverged', 'failed', 'cancelled', 'paused'];
    await page.waitForSelector(
      `${cell}:text-matches("^(${[status, ...ends.filter((e) => e !== status)].join('|')})$")`,
      { timeout: 120_000 },
    );
    const reached = await page.textContent(cell);
    if (reached !== status)
      throw new Error(
        `run ${id} ended ${reached}, not ${status}: ${await page.getAttribute(`[data-testid=run-${id}]`, 'title')}`,
      );
  }

  it("runs the report's origin-window exact-form study and shows k = 4, alpha = 1 with its figures", async () => {
    // The start screen is the report's §1.1 study: coulomb pair, origin window, exact form from (1,
    // 0.2), Adam.
    expect(await page.inputValue('[data-testid=count]')).toBe('10000');
    expect(await page.inputValue('[data-testid=initial-alpha]')).toBe('0.2');
    await page.click('[data-testid=start]');
    await waitForStatus(1, 'completed');
    await page.waitForSelector('[data-testid=fitted-k]');
    const k = Number(await page.textContent('[data-testid=fitted-k]'));
    const alpha = Number(await page.textContent('[data-testid=fitted-alpha]'));
    expect(Math.abs(k - 4)).toBeLessThan(1e-3);
    expect(Math.abs(alpha - 1)).toBeLessThan(1e-3);
    await expectDrawn('chart-loss', 1);
    // bitmap, optimizer path, true point, exact-solve optimum
    await expectDrawn('chart-landscape', 4);
    await expectDrawn('chart-quiver-data', 2);
    await expectDrawn('chart-ratios', 3);
    await expectDrawn('chart-error-absolute', 1);
    await page.screenshot({ path: join(FIGURES, 'guide-2-results.png') });
    await shot('chart-quiver-data', 'fig01-quiver.png');
    await shot('chart-landscape', 'fig02-03-landscape-path.png');
    await shot('chart-loss', 'fig18a-loss.png');
    await shot('chart-ratios', 'fig18b-ratios.png');
    await shot('chart-gradients', 'gradients.png');
    await page.click('[data-testid=zoom-series]');
    await expectDrawn('chart-zoom-0.0002', 1);
    await page.locator('.grid.four').screenshot({ path: join(FIGURES, 'fig24-zoom-series.png') });
  });

  it('fits the coupling polynomial on one side of q0 = q1 and draws its coefficients and error maps', async () => {
    await page.selectOption('[data-testid=model-family]', 'coupling-polynomial');
    await page.check('[data-testid=half-plane]');
    await page.fill('[data-testid=band]', '0');
    await page.dispatchEvent('[data-testid=band]', 'change');
    await page.fill('[data-testid=count]', '5000');
    await page.fill('[data-testid=learning-rate]', '0.001');
    await page.click('[data-testid=start]');
    await waitForStatus(2, 'completed');
    await page.click('[data-testid=run-2]');
    await expectDrawn('chart-coefficients', 1);
    await expectDrawn('chart-quiver-overlay', 2);
    await expectDrawn('chart-error-relative', 1);
    await shot('chart-quiver-overlay', 'fig09-11-data-and-fit.png');
    await shot('chart-coefficients', 'fig10-12-coefficients.png');
    await shot('chart-error-absolute', 'fig13-absolute-error.png');
    await shot('chart-error-relative', 'fig14-relative-error.png');
    // the page lists all 81 coupling coefficients (not the first 12), with the exact solve's
    expect(await page.locator('[data-testid=coefficient-row]').count()).toBe(81);
    expect(await page.textContent('[data-testid=coefficient-table] h3')).toMatch(/All 81/);
    expect(await page.locator('[data-testid=chart-parameters-note]').count()).toBe(1);
  });

  it('opens the 10 000-point run without a long main-thread task', async () => {
    // Long tasks (> 50 ms) seen by the page while run 1 (10 000 points, every figure) opens from
    // run 2: the charts draw one per task, fields come from the compute workers.
    const { tasks, attempts, bound } = await longTasksOf(
      page,
      async () => {
        await page.click('[data-testid=run-1]');
        await expectDrawn('chart-landscape', 4);
        await expectDrawn('chart-quiver-data', 2);
        await expectDrawn('chart-error-absolute', 1);
      },
      async () => {
        await page.click('[data-testid=run-2]');
        await expectDrawn('chart-coefficients', 1);
      },
    );
    console.log(`long tasks opening run 1 (ms): ${describeAttempts(attempts, bound)}`);
    // 50–75 ms on a quiet machine (the quiver's canvas draw); issue 30.11's bound is 200 ms
    expect(Math.max(0, ...tasks)).toBeLessThan(bound);
  });

  it('exports every figure of a run to a folder in the paper style as PDF, PNG and SVG', async () => {
    await page.click('[data-testid=run-1]');
    const out = join(dir, 'paper-figures');
    // a folder typed in the browser is on the studio's machine: the field says which one (30.14)
    await page.fill('[data-testid=export-figures-dir]', '~/figs');
    expect(await page.textContent('[data-testid=export-figures-dir-where]')).toBe(
      `on the studio's machine: ${join(homedir(), 'figs')}`,
    );
    await page.fill('[data-testid=export-figures-dir]', out);
    await page.selectOption('[data-testid=export-figures-style]', 'paper');
    await page.click('[data-testid=export-figures-button]');
    await page.waitForSelector('[data-testid=export-figures-message]:has-text("wrote")', {
      timeout: 120_000,
    });
    expect(await page.textContent('[data-testid=toast]')).toContain(out);
    const manifest = JSON.parse(readFileSync(join(out, 'figures/figures.json'), 'utf8')) as Array<{
      figure: string;
      style: string;
      files: string[];
    }>;
    expect(manifest.map((m) => m.figure)).toEqual(
      expect.arrayContaining(['loss', 'landscape', 'quiver', 'error-absolute']),
    );
    for (const m of manifest) {
      expect(m.style).toBe('paper');
      expect(m.files.map((f) => f.split('.').pop()).sort()).toEqual(['pdf', 'png', 'svg']);
    }
    // a 3.4 in column at 300 dpi
    const png = readFileSync(
      join(
        out,
        'figures',
        manifest[0]!.files.find((f) => f.endsWith('.png'))!,
      ),
    );
    expect(png.readUInt32BE(16)).toBe(1020);
  });

  it('stays responsive while a job trains: a click is handled within 100 ms', async () => {
    await page.selectOption('[data-testid=model-family]', 'exact-form');
    await page.fill('[data-testid=steps]', '40000');
    // 200 000 points: the fused design kernel still needs seconds for 40 000 steps (auto would
    // take the Gram route, O(p²) a step, and finish before anyone could press Pause).
    await page.fill('[data-testid=count]', '200000');
    await page.selectOption('[data-testid=route]', 'design');
    await page.click('[data-testid=start]');
    await page.waitForSelector('[data-testid=progress-text]:has-text("training")');
    const latencies: number[] = [];
    // A real control: the theme button, from click to the page's new theme (an even number of
    // clicks leaves the theme as it was).
    for (let i = 0; i < 6; i++) {
      latencies.push(
        await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const app = document.querySelector<HTMLElement>('.app')!;
              const button = document.querySelector<HTMLButtonElement>(
                '[data-testid="toolbar-view.theme"]',
              )!;
              const before = app.dataset.theme;
              const t0 = performance.now();
              const observer = new MutationObserver(() => {
                if (app.dataset.theme !== before) {
                  observer.disconnect();
                  resolve(performance.now() - t0);
                }
              });
              observer.observe(app, { attributes: true, attributeFilter: ['data-theme'] });
              button.click();
            }),
        ),
      );
    }
    expect(Math.max(...latencies)).toBeLessThan(100);
    // Pause, resume and cancel the running job from the toolbar.
    await page.click('[data-testid=pause]');
    // acknowledged at once ("pausing…"), then the run's own status
    await page.waitForSelector(
      '[data-testid=progress-text]:text-matches("run #3 (pausing…|paused)")',
    );
    await waitForStatus(3, 'paused');
    await page.waitForSelector(
      '[data-testid=progress-text]:text-matches("run #3 paused|idle|active")',
    );
    await page.click('[data-testid=run-3]');
    await page.click('[data-testid=resume]');
    await waitForStatus(3, 'running', 'paused');
    await page.click('[data-testid=cancel]');
    await waitForStatus(3, 'cancelled');
  });

  it('compares two runs and exports a figure as PNG, SVG and CSV', async () => {
    await page.check('[data-testid=compare-1]');
    await page.check('[data-testid=compare-2]');
    await page.click('[data-testid=compare-button]');
    await expectDrawn('compare-loss', 2);
    // each landscape says whose it is; the configuration table has a column per run
    expect(await page.textContent('[data-testid=compare-landscape-label-1]')).toBe(
      '#1 Origin window, exact form',
    );
    expect(await page.locator('[data-testid=compare-config-run]').allTextContents()).toEqual([
      '#1 Origin window, exact form',
      expect.stringMatching(/^#2 /),
    ]);
    await expectDrawn('compare-landscape-1', 4);
    // run 2 (the coupling polynomial) has none, and Compare says why instead of leaving it out
    expect(await page.textContent('[data-testid=compare-no-landscape]')).toMatch(
      /#2 .*: no landscape — its study computes no loss landscape/,
    );
    // the two runs differ in their model: the differences-only table says so
    expect(await page.textContent('[data-testid=compare-config]')).toMatch(
      /model\.family\s*exact-form\s*coupling-polynomial/,
    );
    await page.locator('[data-testid=compare]').screenshot({ path: join(FIGURES, 'compare.png') });

    const save = async (button: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click(`[data-testid="${button}"]`),
      ]);
      const path = join(dir, download.suggestedFilename());
      await download.saveAs(path);
      return { path, name: download.suggestedFilename() };
    };
    const svg = await save('compare-loss-svg');
    expect(svg.name).toBe('compare-loss.svg');
    const svgText = readFileSync(svg.path, 'utf8');
    expect(svgText).toContain('#1 Origin window, exact form');
    // The SVG opens in Chromium and shows the legend text.
    const viewer = await browser.newPage();
    await viewer.goto(`file://${svg.path}`);
    expect(await viewer.locator('text', { hasText: '#2' }).count()).toBeGreaterThan(0);
    await viewer.close();

    const csv = await save('compare-loss-csv');
    const rows = readFileSync(csv.path, 'utf8').trim().split('\n');
    const detail1 = await (
      await fetch(`${new URL(bridge.url).origin}/api/runs:get`, {
        method: 'POST',
        headers: { 'x-lagrange-token': bridge.token },
        body: JSON.stringify({ id: 1 }),
      })
    ).json();
    const detail2 = await (
      await fetch(`${new URL(bridge.url).origin}/api/runs:get`, {
        method: 'POST',
        headers: { 'x-lagrange-token': bridge.token },
        body: JSON.stringify({ id: 2 }),
      })
    ).json();
    expect(rows.length - 1).toBe(
      detail1.value.metrics.steps.length + detail2.value.metrics.steps.length,
    );

    // A 200 × 200 landscape exports complete: sample the PNG across the plot area.
    const png = await save('compare-landscape-1-png');
    expect(png.name).toBe('run-1-origin-window-exact-form-landscape.png');
    const coloured = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      // 40 samples along a row through the middle of the plot area (grid: 60 css px left, 132
      // right for the colour bar; 300 dpi = 300/96 px per css px)
      const k = 300 / 96;
      const left = 70 * k,
        right = c.width - 142 * k;
      let n = 0;
      for (let i = 0; i < 40; i++) {
        const [r, g, b] = ctx.getImageData(
          Math.round(left + (i * (right - left)) / 39),
          Math.round(c.height * 0.55),
          1,
          1,
        ).data;
        if (!(r! > 245 && g! > 245 && b! > 245)) n++;
      }
      return n;
    }, readFileSync(png.path).toString('base64'));
    expect(coloured).toBe(40);
    // …and declares its 300 dpi (pHYs 11811 px/m), so LaTeX places it at its true size.
    expect(resolutionOf(readFileSync(png.path))).toBe(300);
  });

  it('in Compare, Ctrl+E exports its first figure in the paper style: PNG, SVG, PDF and CSV (30.9)', async () => {
    await page.selectOption('[data-testid=compare-loss-style]', 'paper');
    const downloads: Array<{ name: string; path: string }> = [];
    const onDownload = (d: import('playwright-core').Download) => {
      const path = join(dir, `ctrl-e-${d.suggestedFilename()}`);
      downloads.push({ name: d.suggestedFilename(), path });
      void d.saveAs(path);
    };
    page.on('download', onDownload);
    try {
      await page.keyboard.press('Control+e');
      await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(4);
    } finally {
      page.off('download', onDownload);
    }
    expect(downloads.map((d) => d.name).sort()).toEqual(
      ['csv', 'pdf', 'png', 'svg'].map((e) => `compare-loss.${e}`),
    );
    await expect.poll(() => downloads.every((d) => existsSync(d.path))).toBe(true);
    const file = (ext: string) => readFileSync(downloads.find((d) => d.name.endsWith(ext))!.path);
    // one journal column: 3.4 × 2.6 in, i.e. 244.8 × 187.2 pt, and 1020 px wide at 300 dpi
    const pdf = file('.pdf');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'))!;
    expect(Number(box[1])).toBeCloseTo(244.8, 1);
    expect(Number(box[2])).toBeCloseTo(187.2, 1);
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' });
    expect(text).toMatch(/#1 Origin window/);
    expect(text).toMatch(/step/);
    const png = file('.png');
    expect(png.readUInt32BE(16)).toBe(1020);
    expect(resolutionOf(png)).toBe(300);
    expect(file('.svg').toString()).toContain('DejaVu Serif');
    await page.selectOption('[data-testid=compare-loss-style]', 'screen');
  });

  it('runs Start, Pause and Cancel, an export and the theme switch from the toolbar and the keyboard', async () => {
    await page.click('[data-testid=compare] button:has-text("close")');
    await page.fill('[data-testid=steps]', '40000');
    await page.selectOption('[data-testid=route]', 'design'); // seconds of training, not Gram's ms
    await page.keyboard.press('Control+Enter'); // run.start's shortcut
    await waitForStatus(4, 'running');
    await page.click('[data-testid="toolbar-run.pause"]');
    await waitForStatus(4, 'paused');
    await page.click('[data-testid=run-4]');
    await page.click('[data-testid="toolbar-run.resume"]');
    await waitForStatus(4, 'running', 'paused');
    await page.click('[data-testid="toolbar-run.cancel"]');
    await waitForStatus(4, 'cancelled');
    await page.click('[data-testid=run-1]');
    await page.waitForSelector('[data-testid=chart-loss][data-rendered]:not([data-rendered="0"])');
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await page.click('[data-testid="toolbar-file.exportFigure"]');
    await expect.poll(() => downloads.length).toBe(3);
    expect(downloads.sort()).toEqual([
      'run-1-origin-window-exact-form-loss.csv',
      'run-1-origin-window-exact-form-loss.png',
      'run-1-origin-window-exact-form-loss.svg',
    ]);
    expect(await page.getAttribute('.app', 'data-theme')).toBe('light');
    await page.click('[data-testid="toolbar-view.theme"]');
    expect(await page.getAttribute('.app', 'data-theme')).toBe('dark');
    // Readable in the dark: the panel the charts sit on is the one their dark-theme text is
    // checked against (src-shared/charts/screen-theme.test.ts), and headings contrast ≥ 4.5.
    const colours = await page.$eval('.figures', (el) => {
      const rgb = (c: string) =>
        '#' +
        (c.match(/\d+/g) ?? [])
          .slice(0, 3)
          .map((x) => Number(x).toString(16).padStart(2, '0'))
          .join('');
      return {
        panel: rgb(getComputedStyle(el).backgroundColor),
        heading: rgb(getComputedStyle(el.querySelector('h2') ?? el).color),
      };
    });
    expect(colours.panel).toBe(DARK.panel);
    expect(contrastRatio(colours.heading, colours.panel)).toBeGreaterThanOrEqual(4.5);
    await page.screenshot({ path: join(FIGURES, 'guide-3-dark.png') });
    await page.keyboard.press('Control+Shift+D');
    expect(await page.getAttribute('.app', 'data-theme')).toBe('light');
    await page.click('[data-testid="toolbar-help.about"]');
    expect(await page.textContent('[data-testid=about]')).toMatch(
      /compute backend: wasm|compute backend: cpu|compute backend: tensorflow/,
    );
    // About ▸ Show logs: the server's log, newest first, with its file
    await page.click('[data-testid=about-logs]');
    await page.waitForSelector('[data-testid=logs-lines] tr');
    expect(await page.textContent('[data-testid=logs-path]')).toMatch(/lagrange\.log$/);
    expect(await page.textContent('[data-testid=logs-lines]')).toMatch(/serving|run started/);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=logs]', { state: 'detached' }); // Help: a modal over the page (not inline), focus kept inside, Esc closes; the browser UI
    // lists only its own commands (no Edit ▸ Undo: that is the browser's)
    await page.click('[data-testid="toolbar-help.guide"]');
    const help = page.locator('[data-testid=help]');
    expect(await help.getAttribute('aria-modal')).toBe('true');
    expect(await help.evaluate((el) => getComputedStyle(el).position)).toBe('fixed');
    expect(await help.textContent()).not.toMatch(/Undo/);
    expect(await help.textContent()).toMatch(/Show Logs/);
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    expect(await help.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=help]', { state: 'detached' });
  });

  it('asks before deleting a run and keeps the others', async () => {
    const before = await page.locator('[data-testid^=run-status-]').count();
    await page.click('[data-testid=delete-3]');
    expect(await page.textContent('[data-testid=dialog-message]')).toMatch(/Delete run 3/);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=dialog]', { state: 'detached' });
    expect(await page.locator('[data-testid^=run-status-]').count()).toBe(before);
    await page.click('[data-testid=delete-3]');
    await page.click('[data-testid=dialog-confirm]');
    await page.waitForSelector('[data-testid=run-status-3]', { state: 'detached' });
    expect(await page.locator('[data-testid^=run-status-]').count()).toBe(before - 1);
    expect(await page.textContent('[data-testid=run-status-1]')).toBe('completed');
  });

  it('in Compare a diverged run is clipped and named, and does not flatten the others', async () => {
    const api = async (channel: string, body: unknown) =>
      (
        await (
          await fetch(`${new URL(bridge.url).origin}/api/${channel}`, {
            method: 'POST',
            headers: { 'x-lagrange-token': bridge.token },
            body: JSON.stringify(body),
          })
        ).json()
      ).value;
    // Run 1's study with plain GD far above 2/λmax (0.0016): its loss grows without bound.
    const run1 = await api('runs:get', { id: 1 });
    const { id } = await api('runs:start', {
      study: {
        ...run1.run.config,
        name: 'diverging',
        optimizer: { algorithm: 'gd', learningRate: 0.05 },
        stopping: { maxSteps: 400 },
      },
    });
    await waitForStatus(id, 'diverged');
    const run2 = await api('runs:get', { id: 2 });
    const ticked = page.locator('[data-testid=runs] input[type=checkbox]:checked');
    while ((await ticked.count()) > 0) await ticked.first().uncheck();
    for (const r of [1, 2, id]) await page.check(`[data-testid=compare-${r}]`);
    await page.click('[data-testid=compare-button]');
    await expectDrawn('compare-loss', 3);
    const note = page.locator('[data-testid=compare-clipped]');
    expect(await note.textContent()).toMatch(new RegExp(`#${id} diverging`));
    // The y-range is that of the two converging runs (their largest loss, with a margin).
    const top = Math.max(...run1.metrics.loss, ...run2.metrics.loss);
    const yMax = Number(await note.getAttribute('data-y-max'));
    expect(yMax).toBeGreaterThanOrEqual(top);
    expect(yMax).toBeLessThan(2 * top);
    await page.click('[data-testid=compare] button:has-text("close")');
    for (const r of [1, 2, id]) await page.uncheck(`[data-testid=compare-${r}]`);
  });

  it('shows an expression error at its position, live', async () => {
    await page.fill('[data-testid=lagrangian]', '0.5*(qd0^2 + qd1^2) - beta*q0');
    await page.waitForSelector('[data-testid=lagrangian-error]');
    expect(await page.textContent('[data-testid=lagrangian-error]')).toMatch(
      /Unknown symbol "beta".*character 23/,
    );
    expect(await page.textContent('[data-testid=lagrangian-error] mark')).toBe('b');
  });

  it('fits measured data: a noisy oscillator CSV imported through the Measured data panel gives k back within 1%', async () => {
    // q(t) = 0.7 cos 2t + 0.3 sin 2t (k = 4, m = 1), ±1e-5 noise, one bad row
    const lines = ['t [s],x [m]'];
    for (let i = 0; i < 1500; i++)
      lines.push(
        `${(i * 0.01).toFixed(2)},${0.7 * Math.cos(2 * i * 0.01) + 0.3 * Math.sin(2 * i * 0.01) + 1e-5 * Math.sin(1e3 * i)}`,
      );
    lines.splice(300, 0, '2.99,oops');
    const csv = join(dir, 'oscillator.csv');
    writeFileSync(csv, lines.join('\n'));
    await page.selectOption('[data-testid=preset]', 'harmonic-oscillator');
    await page.check('[data-testid=measured-on]');
    await page.fill('[data-testid=measured-file]', csv);
    await page.locator('[data-testid=measured-coordinates]').fill('x');
    await page.locator('[data-testid=measured-coordinates]').dispatchEvent('change');
    const id = await nextRunId();
    await page.click('[data-testid=start]');
    await page.waitForSelector(
      `[data-testid=run-status-${id}]:text-matches("completed|failed|diverged")`,
      { timeout: 60_000 },
    );
    expect(await page.textContent(`[data-testid=run-status-${id}]`)).toBe('completed');
    await page.click(`[data-testid=run-${id}]`);
    await page.waitForSelector('[data-testid=import-report]');
    expect(await page.textContent('[data-testid=import-report]')).toMatch(
      /1472 samples from 1501 rows.*units t \[s\], x \[m\]; 1 bad rows, e\.g\. line 301: "oops" in column x is not a number/,
    );
    const k = Number(await page.textContent('[data-testid=fitted-k]'));
    expect(Math.abs(k - 4) / 4).toBeLessThan(0.01);
    // its name says it ran on measured data, not the preset's name
    expect(await page.textContent(`[data-testid=run-${id}]`)).toMatch(/measured data/);
  });

  it('shows measured data as measured: the quiver at the imported points (the CSV rows) and the error there', async () => {
    // A charge in a magnetic field (m = 1, charge·B = 2, k = 1): ẍ = 2ẏ − x, ÿ = −2ẋ − y,
    // integrated by RK4 (dt 1e-3), sampled every 10 ms: a 2-D trajectory t, x, y.
    let [x, y, vx, vy] = [0.8, 0, 0, 0.5];
    const f = (s: number[]) => [s[2]!, s[3]!, 2 * s[3]! - s[0]!, -2 * s[2]! - s[1]!];
    const rows: Array<[number, number, number]> = [];
    for (let i = 0; i <= 8000; i++) {
      if (i % 10 === 0) rows.push([i / 1000, x, y]);
      const s = [x, y, vx, vy];
      const k1 = f(s);
      const k2 = f(s.map((v, j) => v + 0.0005 * k1[j]!));
      const k3 = f(s.map((v, j) => v + 0.0005 * k2[j]!));
      const k4 = f(s.map((v, j) => v + 0.001 * k3[j]!));
      const next = s.map((v, j) => v + (0.001 / 6) * (k1[j]! + 2 * k2[j]! + 2 * k3[j]! + k4[j]!));
      [x, y, vx, vy] = [next[0]!, next[1]!, next[2]!, next[3]!];
    }
    const csv = join(dir, 'charge.csv');
    writeFileSync(csv, ['t,x,y', ...rows.map((r) => r.join(','))].join('\n'));
    await page.selectOption('[data-testid=preset]', 'magnetic-field');
    await page.check('[data-testid=measured-on]');
    await page.fill('[data-testid=measured-file]', csv);
    const columns = page.getByLabel('coordinate columns');
    await columns.fill('x, y');
    await columns.dispatchEvent('change');
    const id = await nextRunId();
    await page.click('[data-testid=start]');
    await waitForStatus(id, 'completed');
    await page.click(`[data-testid=run-${id}]`);
    await expectDrawn('chart-quiver-measured', 2);
    await expectDrawn('chart-error-measured', 1);
    // The plotted points, read back from the chart's CSV export, are rows of the imported file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=chart-quiver-measured-csv]'),
    ]);
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    const plotted = readFileSync(saved, 'utf8')
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('|q̈| (measured'))
      .map((line) => line.split(',').slice(1, 3).map(Number) as [number, number]);
    expect(plotted.length).toBeGreaterThan(700);
    // each is a row's q as the filter smooths it (exact data: within 1e-6 of the row itself)
    for (const [px, py] of plotted)
      expect(rows.some((r) => Math.abs(r[1] - px) < 1e-6 && Math.abs(r[2] - py) < 1e-6)).toBe(true);
    // …and not the true system's field on a grid (whose points would be grid nodes).
    expect(new Set(plotted.map((p) => p[0])).size).toBeGreaterThan(plotted.length / 2);
    await shot('chart-error-measured', 'guide-measured-error.png');
  });

  it('validates where the mistake is: min > max and a bad count at their fields, Start disabled with the reason', async () => {
    await page.selectOption('[data-testid=preset]', 'coulomb-pair');
    await page.fill('[data-testid=q0-min]', '2');
    await page.locator('[data-testid=q0-min]').dispatchEvent('change');
    const windowError = '[data-testid="field-error-sampling.window.q.0"]';
    await page.waitForSelector(windowError);
    expect(await page.textContent(windowError)).toBe('min must be below max');
    expect(await page.isDisabled('[data-testid=start]')).toBe(true);
    expect(await page.getAttribute('[data-testid=start]', 'title')).toBe(
      'q0 window: min must be below max',
    );
    await page.fill('[data-testid=count]', '-5');
    await page.waitForSelector('[data-testid="field-error-sampling.count"]');
    expect(await page.textContent('[data-testid="field-error-sampling.count"]')).toBe(
      'must be at least 1',
    );
    // the errors leave with their causes
    await page.fill('[data-testid=q0-min]', '-1');
    await page.locator('[data-testid=q0-min]').dispatchEvent('change');
    await page.fill('[data-testid=count]', '10000');
    await page.waitForSelector(windowError, { state: 'detached' });
    await page.waitForSelector('[data-testid="field-error-sampling.count"]', { state: 'detached' });
    expect(await page.isDisabled('[data-testid=start]')).toBe(false);
    // an unknown symbol in the Lagrangian disables Start too, naming it
    const lagrangian = await page.inputValue('[data-testid=lagrangian]');
    await page.fill('[data-testid=lagrangian]', `${lagrangian} + beta`);
    await page.waitForFunction(() =>
      /Unknown symbol "beta"/.test(
        document.querySelector('[data-testid=start]')!.getAttribute('title') ?? '',
      ),
    );
    expect(await page.isDisabled('[data-testid=start]')).toBe(true);
    await page.fill('[data-testid=lagrangian]', lagrangian);
    await page.waitForFunction(
      () => !document.querySelector<HTMLButtonElement>('[data-testid=start]')!.disabled,
    );
    // a window outside the domain of L: √(q0 + 2) is real only for q0 > −2, so q0 ∈ [−4, −3]
    // gives q̈ = NaN at every point; named at the window, Start disabled, gone when fixed
    await page.fill('[data-testid=lagrangian]', `${lagrangian} + sqrt(q0 + 2)`);
    await page.fill('[data-testid=q0-min]', '-4');
    await page.locator('[data-testid=q0-min]').dispatchEvent('change');
    await page.fill('[data-testid=q0-max]', '-3');
    await page.locator('[data-testid=q0-max]').dispatchEvent('change');
    const domainError = '[data-testid="field-error-sampling.window.domain"]';
    await page.waitForSelector(`${domainError}:has-text("256 of 256")`);
    expect(await page.textContent(domainError)).toMatch(
      /q̈ is not finite at 256 of 256 probe points \(e\.g\. at q0 = -3\.\d+.*domain of L/,
    );
    expect(await page.isDisabled('[data-testid=start]')).toBe(true);
    expect(await page.getAttribute('[data-testid=start]', 'title')).toMatch(/^sampling window: /);
    await page.fill('[data-testid=q0-min]', '-1');
    await page.locator('[data-testid=q0-min]').dispatchEvent('change');
    await page.fill('[data-testid=q0-max]', '1');
    await page.locator('[data-testid=q0-max]').dispatchEvent('change');
    await page.waitForSelector(domainError, { state: 'detached' });
    await page.fill('[data-testid=lagrangian]', lagrangian);
    await page.waitForFunction(
      () => !document.querySelector<HTMLButtonElement>('[data-testid=start]')!.disabled,
    );
  });

  it('names a run for what differs from the loaded study, in the runs list and its file names', async () => {
    await page.selectOption('[data-testid=preset]', 'coulomb-pair');
    await page.fill('[data-testid=steps]', '20');
    await page.fill('[data-testid=q0-min]', '-0.5');
    await page.locator('[data-testid=q0-min]').dispatchEvent('change');
    const name = 'q∈[−0.5, 1]×[−1, 1]';
    await page.waitForFunction(
      (text) =>
        document
          .querySelector<HTMLInputElement>('[data-testid=run-name]')!
          .placeholder.includes(text),
      name,
    );
    expect(await page.getAttribute('[data-testid=run-name]', 'placeholder')).toMatch(/20 steps/);
    const id = await nextRunId();
    await page.click('[data-testid=start]');
    await page.waitForSelector(`[data-testid=run-status-${id}]:text-is("completed")`, {
      timeout: 120_000,
    });
    expect(await page.textContent(`[data-testid=run-${id}]`)).toContain(name);
    await page.click(`[data-testid=run-${id}]`);
    await page.waitForSelector(
      '[data-testid="chart-loss"][data-rendered]:not([data-rendered="0"])',
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=chart-loss-csv]'),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^run-${id}-.*20-steps-q-0\\.5-1-1-1-loss\\.csv$`),
    ); // notes and tags on the run page, saved when the field is left
    await page.fill('[data-testid=run-notes-text]', 'narrower q0 window');
    await page.locator('[data-testid=run-notes-text]').blur();
    await page.waitForSelector('[data-testid=run-notes-message]:text-is("notes saved")');
    await page.fill('[data-testid=run-tags]', 'window study, e2e');
    await page.locator('[data-testid=run-tags]').blur();
    await page.waitForSelector('[data-testid=run-notes-message]:text-is("tags saved")');
    const stored = await page.evaluate(async (runId) => {
      const token = sessionStorage.getItem('lagrange-token') ?? '';
      const r = await fetch('/api/runs:get', {
        method: 'POST',
        headers: { 'x-lagrange-token': token },
        body: JSON.stringify({ id: runId }),
      });
      return ((await r.json()) as { value: { run: { notes: string; tags: string[] } } }).value.run;
    }, id);
    expect(stored.notes).toBe('narrower q0 window');
    expect([...stored.tags].sort()).toEqual(['e2e', 'window study']);
    // "Use these settings": the run's whole configuration back in the form, named as it was
    await page.fill('[data-testid=q0-min]', '-0.9');
    await page.locator('[data-testid=q0-min]').dispatchEvent('change');
    await page.click('[data-testid=use-settings]');
    expect(await page.inputValue('[data-testid=q0-min]')).toBe('-0.5');
    expect(await page.inputValue('[data-testid=steps]')).toBe('20');
    expect(await page.getAttribute('[data-testid=run-name]', 'placeholder')).toContain(name);
    // File ▸ New Study: the start screen with the report's studies and the presets, at any time
    await page.keyboard.press('Control+Shift+N');
    await page.waitForSelector('[data-testid=start-screen]');
    expect(await page.locator('[data-testid^="example-1.1"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid^=preset-]').count()).toBeGreaterThan(2);
    // the runs list searches by any setting: only this run has 20 steps
    await page.fill('[data-testid=runs-filter]', 'stopping.maxSteps=20');
    await page.waitForSelector('[data-testid=runs-count]:text-matches("^1 of ")');
    expect(await page.locator(`[data-testid=run-${id}]`).count()).toBe(1);
    await page.fill('[data-testid=runs-filter]', 'maxStep<5');
    await page.waitForSelector('[data-testid=runs-filter-error]:has-text("maxStep")');
    await page.fill('[data-testid=runs-filter]', '');
  });
});
