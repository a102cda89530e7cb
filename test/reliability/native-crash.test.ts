import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../src-shared/dto/runs';
import { parseStudy } from '../../src-shared/study/study-schema';
import { clipToRectangle, quiverOption } from '../../src-shared/charts/quiver';
import { renderSvg, svgToPng } from '../../src-main/figures/render';
import { writeReportBundle } from '../../src-main/figures/bundle';
import { isolatedLoad, runIsolated } from '../../src-main/jobs/isolated';
import { workerModule } from '../../src-main/jobs/spawn-worker';
import type { ExportReply, ExportRequest } from '../../src-main/jobs/export-worker';
import { userPath } from '../../src-main/api/user-paths';
import { storedRun } from './stored-run';
import { homedir } from 'node:os';

/*
 * Issue 30.1: resvg panicked on the exclusion band's polygon when the window missed the band, and
 * the abort took the whole server. The cause (a shape wholly clipped away) is fixed, and figure
 * rendering runs in a child process, so any native abort is an error naming the figure.
 */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lagrange-native-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.LAGRANGE_TEST_ABORT_AT_FIGURE;
});

function detail(): RunDetail {
  const config = parseStudy(
    JSON.parse(readFileSync('resources/studies/1.1-origin-exact-fit.json', 'utf8')),
  );
  return storedRun(
    { id: 3, name: 'far window', config },
    {
      steps: [0, 1, 2],
      loss: [3, 2, 1],
      parameters: [
        [1, 0.2],
        [2, 0.5],
        [3, 0.9],
      ],
      gradients: [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    },
  );
}

const request = (out: string): ExportRequest => ({
  kind: 'figures',
  details: [detail()],
  dir: out,
  dpi: 72,
  formats: ['png'],
});

describe('native renderers cannot take the app down', () => {
  it('the band |q0 − q1| < w is clipped to the window, and absent when the window misses it', () => {
    const square = { x0: 0, x1: 1, y0: 0, y1: 1 };
    // the band along the diagonal of the unit square, w = 0.1: a hexagon of area 1 − 0.9²
    const band = clipToRectangle(
      [
        [0, -0.1],
        [1, 0.9],
        [1, 1.1],
        [0, 0.1],
      ],
      square,
    );
    const area =
      Math.abs(
        band.reduce((s, p, i) => {
          const q = band[(i + 1) % band.length]!;
          return s + p[0] * q[1] - q[0] * p[1];
        }, 0),
      ) / 2;
    expect(area).toBeCloseTo(1 - 0.9 ** 2, 12);
    const far = { x0: -6, x1: -4, y0: 4, y1: 6 };
    const farBand: Array<[number, number]> = [
      [-6, -6.1],
      [-4, -4.1],
      [-4, -3.9],
      [-6, -5.9],
    ];
    expect(clipToRectangle(farBand, far)).toEqual([]);
    const field = { label: 'data', x: [-5, -4.5], y: [5, 4.5], ax: [1, 0], ay: [0, 1] };
    const option = quiverOption([field], { excludedBand: 0.1, extent: far });
    const names = (option.series as Array<{ name?: string }>).map((s) => s.name ?? '');
    expect(names.some((n) => n.startsWith('excluded'))).toBe(false);
  });

  it('the far window of issue 30.1 rasterises to PNG (the case that aborted resvg)', async () => {
    const field = { label: 'data', x: [-5, -4.5], y: [5, 4.5], ax: [1, 0], ay: [0, 1] };
    const option = quiverOption([field], {
      excludedBand: 0.1,
      extent: { x0: -6, x1: -4, y0: 4, y1: 6 },
    });
    const png = await svgToPng(renderSvg(option), 72);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('an abort in the renderer is an error naming the figure; the parent goes on', async () => {
    process.env.LAGRANGE_TEST_ABORT_AT_FIGURE = 'loss';
    const failed = runIsolated<ExportRequest, ExportReply>(
      workerModule('export-worker'),
      request(join(dir, 'crash')),
      { what: 'The figures could not be written' },
    );
    await expect(failed).rejects.toMatchObject({ code: 'export-failed' });
    await expect(failed).rejects.toThrow(
      /renderer process was stopped by SIGABRT while drawing figure "loss" of run #3/,
    );
    delete process.env.LAGRANGE_TEST_ABORT_AT_FIGURE;
    // the next export starts a fresh child and succeeds
    const reply = await runIsolated<ExportRequest, ExportReply>(
      workerModule('export-worker'),
      request(join(dir, 'after')),
      { what: 'figures' },
    );
    expect(reply.files.some((f) => f.endsWith('-loss.png'))).toBe(true);
  }, 60_000);

  it('exports queue in a pool of two, and Cancel of a queued one never starts it', async () => {
    const peaks: number[] = [];
    const timer = setInterval(() => peaks.push(isolatedLoad().running), 5);
    const cancel = new AbortController();
    const all = Array.from({ length: 4 }, (_, i) =>
      runIsolated<ExportRequest, ExportReply>(
        workerModule('export-worker'),
        { kind: 'data', details: [detail()], dir: join(dir, `pool-${i}`), formats: ['csv'] },
        { what: 'data', ...(i === 3 ? { signal: cancel.signal } : {}) },
      ),
    );
    expect(isolatedLoad()).toEqual({ running: 2, waiting: 2 });
    cancel.abort();
    const results = await Promise.allSettled(all);
    clearInterval(timer);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(2);
    expect(results.slice(0, 3).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[3]).toMatchObject({ status: 'rejected', reason: { code: 'cancelled' } });
    expect(isolatedLoad()).toEqual({ running: 0, waiting: 0 });
  }, 60_000);

  it('typed paths: ~ is the home folder, a relative path is relative to it (issue 30.4)', () => {
    expect(userPath('~/figs')).toBe(join(homedir(), 'figs'));
    expect(userPath('~')).toBe(homedir());
    expect(userPath('figs/a')).toBe(join(homedir(), 'figs', 'a'));
    expect(userPath('/tmp/x/../y')).toBe('/tmp/y');
    expect(() => userPath('~root/x')).toThrow(/~user paths are not supported/);
    expect(() => userPath('  ')).toThrow(/Give a folder/);
  });
});

describe('a report bundle with one damaged run (issue 32.14)', () => {
  it('exports the healthy runs and names the damaged one in summary.md and the reply', async () => {
    const healthy = detail();
    const damaged: RunDetail = {
      ...healthy,
      run: {
        ...healthy.run,
        id: 9,
        name: 'broken',
        config: {} as RunDetail['run']['config'],
        damage: 'its study cannot be read (JSON: unexpected end)',
      },
    };
    const out = join(dir, 'bundle-damaged');
    const r = await writeReportBundle([healthy, damaged], out, { formats: ['svg'] });
    expect(r.skipped).toEqual(['run #9 "broken": its study cannot be read (JSON: unexpected end)']);
    expect(r.files.some((f) => /run-3-far-window-loss\.svg$/.test(f))).toBe(true);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toMatch(/## Not exported\n\n- run #9 "broken": .* \(damaged\)/);
    expect(summary).not.toMatch(/#9 broken \|/);
  });
});
