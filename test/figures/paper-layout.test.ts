// Issue 30.8: every figure a run exports fits its width in the paper styles — no text clipped by
// the canvas, no two labels overlapping. The SVGs are measured in Chromium with the bundled
// fonts (the glyphs the PNG and PDF use), text box against canvas and against each other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { JobQueue } from '../../src-main/jobs/job-queue';
import { ProjectStore } from '../../src-main/store/project-store';
import { writeRunFigures } from '../../src-main/figures/render';
import { bundledFontFiles } from '../../src-main/figures/fonts';
import { parseStudy, type StudySpec } from '../../src-shared/study/study-schema';
import type { RunDetail } from '../../src-shared/dto/runs';
import { FIGURE_STYLES, type FigureStyleName } from '../../src-shared/figures/figure-style';
import { hasChromium, launchChromium, ROOT } from '../e2e/browser';

const bundled = (file: string) =>
  parseStudy(JSON.parse(readFileSync(join(ROOT, 'resources/studies', file), 'utf8')));

/** Small versions of bundled studies that between them draw every kind of run figure. */
function studies(): StudySpec[] {
  const origin = bundled('1.1-origin-exact-fit.json');
  const coupling = bundled('2.2-run2-coupling-polynomial.json');
  const zoomed = bundled('1.2.2-zoomed-fixed-point.json');
  const small = (s: StudySpec, steps: number): StudySpec => ({
    ...s,
    sampling: { ...s.sampling, count: Math.min(s.sampling.count, 800) },
    stopping: { ...s.stopping, maxSteps: steps },
    ...(s.landscape
      ? {
          landscape: {
            ...s.landscape,
            x: { ...s.landscape.x, count: 30 },
            y: { ...s.landscape.y, count: 30 },
          },
        }
      : {}),
  });
  return [small(origin, 300), small(coupling, 200), small(zoomed, 200)];
}

interface TextBox {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The drawn text boxes of an SVG, in its own pixels, with the bundled fonts. */
async function textBoxes(
  page: Page,
  svg: string,
): Promise<{ w: number; h: number; boxes: TextBox[] }> {
  await page.evaluate((markup) => {
    document.getElementById('figure')!.innerHTML = markup;
  }, svg);
  await page.evaluate(() => document.fonts.ready);
  return page.evaluate(() => {
    const root = document.querySelector('#figure svg') as SVGSVGElement;
    const frame = root.getBoundingClientRect();
    const boxes = [...root.querySelectorAll('text')]
      .filter((t) => {
        const s = getComputedStyle(t);
        return (
          (t.textContent ?? '').trim() !== '' &&
          s.display !== 'none' &&
          s.visibility !== 'hidden' &&
          Number(s.opacity) > 0 &&
          Number(s.fillOpacity) > 0
        );
      })
      .map((t) => {
        const r = t.getBoundingClientRect();
        return {
          text: t.textContent,
          x0: r.left - frame.left,
          y0: r.top - frame.top,
          x1: r.right - frame.left,
          y1: r.bottom - frame.top,
        };
      });
    return { w: frame.width, h: frame.height, boxes };
  });
}

const at = (b: TextBox) => `[${[b.x0, b.y0, b.x1, b.y1].map((v) => v.toFixed(1)).join(', ')}]`;

/** What is wrong with a figure's text: boxes past the canvas, and pairs that overlap. */
function layoutProblems(w: number, h: number, boxes: TextBox[]): string[] {
  const problems: string[] = [];
  const slack = 0.5; // px: anti-aliasing, not clipping
  for (const b of boxes)
    if (b.x0 < -slack || b.y0 < -slack || b.x1 > w + slack || b.y1 > h + slack)
      problems.push(
        `"${b.text}" leaves the ${w}×${h} canvas at [${b.x0.toFixed(1)}, ${b.y0.toFixed(1)}, ${b.x1.toFixed(1)}, ${b.y1.toFixed(1)}]`,
      );
  // Glyph boxes include the font's ascent and descent: 1 px of shared ink margin is not overlap.
  const overlap = (a: TextBox, b: TextBox) =>
    Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 1 &&
    Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > 1;
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++)
      if (overlap(boxes[i]!, boxes[j]!))
        problems.push(
          `"${boxes[i]!.text}" overlaps "${boxes[j]!.text}" (${at(boxes[i]!)} and ${at(boxes[j]!)})`,
        );
  return problems;
}

describe.skipIf(!hasChromium)('paper layout of every run figure', () => {
  let dir: string;
  let browser: Browser;
  let page: Page;
  const details: RunDetail[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lagrange-layout-'));
    const store = ProjectStore.open(join(dir, 'p.lsproj'), { create: true });
    const queue = new JobQueue(store);
    try {
      for (const study of studies()) {
        const id = queue.start(study);
        expect(await queue.waitFor(id)).toMatch(/completed|converged/);
        details.push({
          run: store.getRun(id)!,
          metrics: store.metrics(id),
          grids: store.grids(id).map((g) => ({ ...g, data: Array.from(g.data) })),
        });
      }
    } finally {
      await queue.close();
      store.close();
    }
    browser = await launchChromium();
    page = await browser.newPage();
    const faces = Object.entries(bundledFontFiles())
      .flatMap(([family, f]) => [
        [family, f.regular, 'normal'],
        [family, f.bold, 'bold'],
      ])
      .map(
        ([family, file, weight]) =>
          `@font-face{font-family:'${family}';font-weight:${weight};src:url(data:font/ttf;base64,${readFileSync(file!).toString('base64')})}`,
      )
      .join('\n');
    await page.setContent(`<style>${faces} body{margin:0}</style><div id="figure"></div>`);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const styleName of ['paper', 'paper-wide', 'slides'] as FigureStyleName[])
    it(`every figure kind at ${styleName}: text inside the canvas, nothing overlapping`, async () => {
      const style = FIGURE_STYLES[styleName];
      const problems: string[] = [];
      const kinds = new Set<string>();
      for (const detail of details) {
        const out = join(dir, styleName, String(detail.run.id));
        const written = await writeRunFigures(detail, out, { style, formats: ['svg'] });
        for (const figure of written) {
          kinds.add(figure.kind);
          const svg = readFileSync(join(out, figure.files[0]!.split('/').pop()!), 'utf8');
          const { w, h, boxes } = await textBoxes(page, svg);
          expect(w).toBeCloseTo(style.widthIn * 96, 0);
          expect(h).toBeCloseTo(style.heightIn * 96, 0);
          expect(boxes.length).toBeGreaterThan(3);
          for (const p of layoutProblems(w, h, boxes))
            problems.push(`${figure.kind} (run ${detail.run.id}): ${p}`);
        }
        expect(readdirSync(out).length).toBeGreaterThan(0);
      }
      console.log(`${styleName}: ${kinds.size} kinds: ${[...kinds].join(', ')}`);
      expect(problems).toEqual([]);
    }, 120_000);
});
