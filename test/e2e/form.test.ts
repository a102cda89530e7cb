import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasChromium, readyStudio, type ServedStudio } from './browser';

// Issue 30.13: the form shows what was loaded, validates as typed, warns about an unstable
// learning rate, and explains every field.
describe.skipIf(!hasChromium)('the form shows what was loaded', () => {
  let studio: ServedStudio;
  let page: Page;

  beforeAll(async () => {
    studio = await readyStudio('form');
    page = studio.page;
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
  });

  it("the neural study's schedule, route and system as the file has them", async () => {
    await page.click('[data-testid="example-neural-double-pendulum-structured.json"]');
    // before: "step (×0.5 every 500)" for ×0.4 every 1500, a blank route, the Coulomb preset
    expect(await page.inputValue('[data-testid=schedule-every]')).toBe('1500');
    expect(await page.inputValue('[data-testid=schedule-factor]')).toBe('0.4');
    expect(await page.inputValue('[data-testid=route]')).toBe('auto');
    expect(await page.inputValue('[data-testid=preset]')).toBe('double-pendulum');
    // a Lagrangian no preset has: the select says it is the study's own
    await page.fill('[data-testid=lagrangian]', '0.5*qd0^2 + 0.5*qd1^2 - q0^4');
    expect(await page.inputValue('[data-testid=preset]')).toBe('');
  }, 60_000);

  it('window bounds are checked as they are typed, without Tab', async () => {
    await page.click('[data-testid="toolbar-file.newStudy"]');
    await page.click('[data-testid="example-1.1-origin-exact-fit.json"]');
    await page.click('[data-testid=q0-min]', { clickCount: 3 });
    await page.keyboard.type('5'); // above the max of 1; no Tab, no blur
    await page.waitForSelector('[data-testid="field-error-sampling.window.q.0"]', {
      timeout: 5000,
    });
    await page.click('[data-testid=q0-min]', { clickCount: 3 });
    await page.keyboard.type('-1');
    await page.waitForSelector('[data-testid="field-error-sampling.window.q.0"]', {
      state: 'detached',
      timeout: 5000,
    });
  }, 60_000);

  it("the learning rate warns above 2/λmax from this study's last run", async () => {
    await page.click('[data-testid="toolbar-file.newStudy"]');
    await page.click('[data-testid="example-1.1-origin-exact-fit.json"]');
    expect(await page.inputValue('[data-testid=optimizer]')).toBe('gd');
    await page.click('[data-testid=start]');
    await page.waitForSelector('[data-testid=run-status-1]:text-matches("completed|converged")', {
      timeout: 120_000,
    });
    const early = page.locator('[data-testid=learning-rate-warning]');
    expect(
      await early.count(),
      (await early.count()) ? ((await early.textContent()) ?? '') : '',
    ).toBe(0);
    await page.fill('[data-testid=learning-rate]', '1000');
    const warning = await page.textContent('[data-testid=learning-rate-warning]');
    expect(warning).toMatch(/Above 2\/λmax = [\d.e+-]+ from run #\d+/);
    await page.fill('[data-testid=learning-rate]', '0.0005');
    expect(await page.locator('[data-testid=learning-rate-warning]').count()).toBe(0);
  }, 180_000);

  it('every field of the form has a tooltip', async () => {
    for (const example of [
      'example-1.1-origin-exact-fit.json',
      'example-discovery-report-lagrangian.json',
      'example-neural-double-pendulum-plain.json',
    ]) {
      await page.click('[data-testid="toolbar-file.newStudy"]');
      await page.click(`[data-testid="${example}"]`);
      const bare = await page.$$eval('aside input, aside select, aside textarea', (fields) =>
        fields
          .filter((f) => !(f as HTMLElement).title && !f.closest('[title]'))
          .map((f) => f.outerHTML.slice(0, 120)),
      );
      expect(bare, example).toEqual([]);
    }
  }, 60_000);

  it('the browser UI uploads a measured CSV and the study names its copy on the server (30.14)', async () => {
    await page.click('[data-testid="toolbar-file.newStudy"]');
    await page.click('[data-testid="example-1.1-origin-exact-fit.json"]');
    await page.check('[data-testid=measured-on]');
    const csv =
      't,q0,q1\n' +
      Array.from({ length: 50 }, (_, i) => `${i / 100},${Math.sin(i / 10)},0`).join('\n');
    await page.setInputFiles('[data-testid=measured-upload]', {
      name: 'bench run 7.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.waitForSelector('[data-testid=measured-upload-note]:has-text("uploaded")');
    const path = await page.inputValue('[data-testid=measured-file]');
    expect(path.startsWith(join(studio.dir, 'form-uploads'))).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(csv);
    expect(await page.textContent('[data-testid=measured-upload-note]')).toContain(path);
    await page.uncheck('[data-testid=measured-on]');
  }, 60_000);
});
