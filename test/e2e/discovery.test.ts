import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, readyStudio, type ServedStudio } from './browser';

describe.skipIf(!hasChromium)('discovering a Lagrangian in the studio', () => {
  let studio: ServedStudio;
  let page: Page;

  beforeAll(async () => {
    studio = await readyStudio('discovery');
    page = studio.page;
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
  });

  it("runs the report discovery study and prints the report's Lagrangian", async () => {
    await page.click('[data-testid="example-discovery-report-lagrangian.json"]');
    expect(await page.inputValue('[data-testid=model-family]')).toBe('discovery');
    await page.click('[data-testid=start]');
    await page.waitForSelector('[data-testid=discovered-lagrangian]', { timeout: 120_000 });
    expect(await page.textContent('[data-testid=discovered-lagrangian]')).toBe(
      '0.5*qd0^2 + 0.5*qd1^2 - 2*q0^2 - 2*q1^2 - 1*(1/abs(q0 - q1))',
    );
    // All 30 terms are listed; the total derivative q0·q̇0 as having no effect.
    const rows = page.locator('[data-testid=discovery-terms] tbody tr');
    expect(await rows.count()).toBe(30);
    expect(await rows.filter({ hasText: 'q0*qd0' }).textContent()).toMatch(/no-effect/);
    // the evidence (issue 28): admissible, the known 1-dimensional on-shell family of the report's
    // system (q̇0q̇1 − 4q0q1 + 1/|q0 − q1| moves the same way), intervals for the kept terms
    expect(await page.textContent('[data-testid=discovery-admissible]')).toMatch(
      /positive definite at all \d+ points/,
    );
    expect(await page.textContent('[data-testid=discovery-warning]')).toMatch(
      /1-dimensional family .*ΔL = -0\.25\*qd0\*qd1 \+ 1\*q0\*q1 - 0\.25\*\(1\/abs\(q0 - q1\)\)/,
    );
    expect(await rows.filter({ hasText: /^q0\^2-/ }).textContent()).toMatch(/\[-2\.0+, -2\.0+\]/);
    await page.waitForSelector(
      '[data-testid=chart-pareto][data-rendered]:not([data-rendered="0"])',
    );
    // One click turns it into an exact-form model with the discovered coefficients.
    await page.click('[data-testid=use-exact-form]');
    expect(await page.inputValue('[data-testid=model-family]')).toBe('exact-form');
    expect(Number(await page.inputValue('[data-testid=initial-c1]'))).toBeCloseTo(0.5, 9);
  }, 180_000);

  it('editing the form never edits the bundled example (issue 30.2)', async () => {
    const example = '[data-testid="example-1.2.1-far-from-origin.json"]';
    await page.click('[data-testid="toolbar-file.newStudy"]');
    await page.click(example);
    const pristine = await page.inputValue('[data-testid=q0-min]');
    await page.fill('[data-testid=q0-min]', '-7');
    await page.press('[data-testid=q0-min]', 'Tab');
    expect(await page.inputValue('[data-testid=q0-min]')).toBe('-7');
    await page.click('[data-testid="toolbar-file.newStudy"]');
    await page.click(example);
    expect(await page.inputValue('[data-testid=q0-min]')).toBe(pristine);
    expect(pristine).not.toBe('-7');
  }, 60_000);
});
