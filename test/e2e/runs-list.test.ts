import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ProjectStore } from '../../src-main/store/project-store';
import { coulombPair, reportOriginWindow } from '../../src-main/engine/systems/presets';
import type { StudySpec } from '../../src-shared/study/study-schema';
import { hasChromium, ROOT, startServedStudio, type ServedStudio } from './browser';

/** A project of 1000 stored runs: the list stays fast, grouped and searchable. */
const RUNS = 1000;

function study(i: number): StudySpec {
  return {
    name: `run ${i}`,
    template: `study ${i % 4}`,
    system: {
      ...coulombPair,
      coordinates: [...coulombPair.coordinates],
      velocities: [...coulombPair.velocities],
      parameters: coulombPair.parameters.map((p) => ({ ...p })),
    },
    sampling: { window: reportOriginWindow(), count: 100 + i, seed: 1, countMode: 'drawn' },
    model: { family: 'exact-form', learnable: ['k', 'alpha'] },
    optimizer: { algorithm: 'adam', learningRate: 0.001 * (1 + (i % 10)) },
    stopping: { maxSteps: 10 },
  };
}

describe.skipIf(!hasChromium)('a runs list of 1000 runs', () => {
  let studio: ServedStudio;
  let page: Page;

  beforeAll(async () => {
    studio = await startServedStudio('runs-list');
    page = studio.page;
    const path = join(studio.dir, 'thousand.lsproj');
    const store = ProjectStore.open(path, { create: true });
    for (let i = 1; i <= RUNS; i++)
      store.createRun(`run ${i}`, study(i), { status: 'completed', maxSteps: 10 });
    store.close();
    await studio.session.open(path);
    await page.reload();
    await page.waitForSelector(`[data-testid=runs-count]:has-text("${RUNS} of ${RUNS}")`, {
      timeout: 60_000,
    });
  }, 120_000);

  afterAll(async () => {
    await studio?.close();
  });

  const rendered = () => page.locator('[data-testid^=run-status-]').count();

  it('renders only the rows in view, and scrolling brings the oldest run into the page', async () => {
    expect(await rendered()).toBeLessThan(100);
    expect(await page.locator('[data-testid=run-1]').count()).toBe(0);
    await page.$eval('[data-testid=runs-scroller]', (el) => (el.scrollTop = el.scrollHeight));
    await page.waitForSelector('[data-testid=run-1]');
    expect(await rendered()).toBeLessThan(100);
    await page.click('[data-testid=run-1]');
    await page.waitForSelector('[data-testid=run-1].selected');
  });

  it('groups by study, collapses a group, and searches by a setting', async () => {
    await page.$eval('[data-testid=runs-scroller]', (el) => (el.scrollTop = 0));
    await page.selectOption('[data-testid=runs-group]', 'template');
    // Newest first: run 1000 heads "study 0"; collapsing that group hides its 250 runs and brings
    // the next group's header up; all four collapsed, only the four headers remain.
    await page.waitForSelector('[data-testid="runs-group-study 0"]');
    await page.waitForSelector('[data-testid=run-1000]');
    await page.click('[data-testid="runs-group-study 0"] button');
    await page.waitForSelector('[data-testid=run-1000]', { state: 'detached' });
    expect(await page.textContent('[data-testid="runs-group-study 0"]')).toContain('(250)');
    for (const g of [3, 2, 1]) await page.click(`[data-testid="runs-group-study ${g}"] button`);
    expect(await page.locator('[data-testid^="runs-group-study"]').count()).toBe(4);
    expect(await rendered()).toBe(0);
    await page.click('[data-testid="runs-group-study 3"] button');
    await page.waitForSelector('[data-testid=run-999]');
    await page
      .locator('[data-testid=runs]')
      .screenshot({ path: join(ROOT, 'docs/figures/guide-runs-grouped.png') });
    // Expanded from the bottom up, each header is still in view when it is clicked.
    await page.click('[data-testid="runs-group-study 3"] button');
    for (const g of [1, 2, 3, 0]) await page.click(`[data-testid="runs-group-study ${g}"] button`);
    await page.waitForSelector('[data-testid=run-1000]');
    // search: learning rates 0.001 · (1 + i mod 10) below 0.0025 are i mod 10 ∈ {0, 1}: 200 runs
    await page.fill('[data-testid=runs-filter]', 'optimizer.learningRate<0.0025');
    await page.waitForSelector(`[data-testid=runs-count]:has-text("200 of ${RUNS}")`);
    await page.fill('[data-testid=runs-filter]', '');
    await page.selectOption('[data-testid=runs-group]', 'none');
  });
});
