import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { hasChromium, readyStudio, type ServedStudio } from './browser';
import { originExactStudy } from '../engine/fixtures';

// Issue 30.14: New Project asks first, switching projects clears the page, the project's size is
// visible and old runs' landscapes can be pruned.
describe.skipIf(!hasChromium)('projects in the browser UI', () => {
  let studio: ServedStudio;
  let page: Page;

  beforeAll(async () => {
    studio = await readyStudio('projects');
    page = studio.page;
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
  });

  /** A finished run with a 100 × 100 landscape, stored directly (no training needed here). */
  function storedRunWithLandscape(name: string): number {
    const store = studio.session.store!;
    const id = store.createRun(name, originExactStudy(10));
    store.finishRun(id, {
      status: 'completed',
      message: 'ok',
      results: null,
      history: { steps: [], loss: [], parameters: [], gradients: [] },
      checkpoint: null,
      finalLoss: 1,
      bestLoss: 1,
      step: 10,
    });
    const xs = Array.from({ length: 100 }, (_, i) => i / 10);
    store.saveGrid(
      id,
      'landscape',
      { x: 'k', y: 'alpha', xValues: xs, yValues: xs },
      100,
      100,
      Array.from({ length: 100 * 100 }, (_, i) => Math.sin(i)),
    );
    return id;
  }

  it('shows the size, and prunes the landscapes of all but the 3 newest runs after asking', async () => {
    const ids = [1, 2, 3, 4, 5].map((k) => storedRunWithLandscape(`run ${k}`));
    studio.session.store!.setTags(ids[0]!, ['report']); // the report's runs keep theirs
    await page.click('[data-testid="toolbar-file.newStudy"]');
    await page.reload();
    await page.waitForSelector('[data-testid=project-size]');
    const title = await page.getAttribute('[data-testid=project-size]', 'title');
    // 5 × 100 × 100 float64 = 390.6 KiB of landscapes
    expect(title).toMatch(/landscapes take 391 KiB in 5 runs/);
    await page.click('[data-testid=project-prune]');
    expect(await page.textContent('[data-testid=dialog-message]')).toMatch(/3 newest runs/);
    await page.click('[data-testid=dialog-confirm]');
    // runs 5, 4, 3 keep theirs, run 1 is the report's: run 2's goes
    await expect
      .poll(() => page.getAttribute('[data-testid=project-size]', 'title'))
      .toMatch(/landscapes take 313 KiB in 4 runs/);
    const store = studio.session.store!;
    expect(ids.map((id) => store.grids(id, 'landscape').length)).toEqual([1, 0, 1, 1, 1]);
  });

  it('New Project asks first; the new project starts on a clean page', async () => {
    await page.click('[data-testid=run-5]');
    await page.waitForSelector('[data-testid=start-screen]', { state: 'detached' });
    const other = join(studio.dir, 'other.lsproj');
    await page.fill('[data-testid=project-path]', other);
    await page.click('[data-testid="toolbar-file.new"]');
    expect(await page.textContent('[data-testid=dialog-message]')).toContain(other);
    await page.click('[data-testid=dialog-cancel]');
    expect(await page.textContent('[data-testid=project]')).not.toContain('other.lsproj');
    await page.click('[data-testid="toolbar-file.new"]');
    await page.click('[data-testid=dialog-confirm]');
    await page.waitForSelector(`[data-testid=project]:has-text("other.lsproj")`, {
      state: 'attached',
    });
    // nothing of the previous project: no run rows, its page gone, the start screen back
    await page.waitForSelector('[data-testid=start-screen]');
    expect(await page.locator('[data-testid^=run-status-]').count()).toBe(0);
    expect(await page.locator('[data-testid=chart-loss]').count()).toBe(0);
  });
});
