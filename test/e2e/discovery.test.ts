import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, startServedStudio, type ServedStudio } from './browser';

describe.skipIf(!hasChromium)('discovering a Lagrangian in the studio', () => {
  let studio: ServedStudio;
  let page: Page;

  beforeAll(async () => {
    studio = await startServedStudio('discovery');
    page = studio.page;
    await page.waitForSelector('[data-testid=start]:not([disabled])');
    await page.waitForSelector('[data-testid=start-screen] li');
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
    await page.waitForSelector(
      '[data-testid=chart-pareto][data-rendered]:not([data-rendered="0"])',
    );
    // One click turns it into an exact-form model with the discovered coefficients.
    await page.click('[data-testid=use-exact-form]');
    expect(await page.inputValue('[data-testid=model-family]')).toBe('exact-form');
    expect(Number(await page.inputValue('[data-testid=initial-c1]'))).toBeCloseTo(0.5, 9);
  }, 180_000);
});
