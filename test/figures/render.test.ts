import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSvg, svgToPng, nodeImageSource } from '../../src-main/figures/render';
import { encodePng } from '../../src-main/figures/png';
import { writeReportBundle } from '../../src-main/figures/bundle';
import { landscapeOption } from '../../src-shared/charts/landscape';
import { runStudy } from '../../src-main/study/run-study';
import { parseStudy } from '../../src-shared/study/study-schema';
import { ProjectStore } from '../../src-main/store/project-store';
import { inflateSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { errorMapOption } from '../../src-shared/charts/error-map';
import { FIGURE_STYLES } from '../../src-shared/figures/figure-style';
import { svgToPdf } from '../../src-main/figures/pdf';

/** The text of every <text> element of an SVG. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'),
  );
}

/** A PDF's text through poppler's pdftotext (installed by .ci/run). */
function pdfToText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lagrange-fig-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('server-side figures', () => {
  it('encodes a PNG whose pixels decode back', () => {
    const rgba = new Uint8ClampedArray([
      255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 1, 2, 3, 4,
    ]);
    const png = encodePng(2, 2, rgba);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const idat = png.indexOf('IDAT');
    const len = png.readUInt32BE(idat - 4);
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + len));
    // filter byte 0, then the row's RGBA
    expect(Array.from(raw)).toEqual([
      0, 255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 0, 255, 255, 1, 2, 3, 4,
    ]);
  });

  it('renders a 200 × 200 landscape to SVG with its legend and the whole field, and to PNG at 300 dpi', async () => {
    const n = 200;
    const xs = Array.from({ length: n }, (_, i) => (8 * i) / (n - 1));
    const ys = Array.from({ length: n }, (_, i) => (2 * i) / (n - 1));
    const loss = ys.flatMap((a) => xs.map((k) => (k - 4) ** 2 + 100 * (a - 1) ** 2 + 1e-3));
    const svg = renderSvg(
      landscapeOption(
        {
          xName: 'k',
          yName: 'alpha',
          xValues: xs,
          yValues: ys,
          loss,
          path: [
            [1, 0.2],
            [4, 1],
          ],
          truth: [4, 1],
        },
        nodeImageSource,
      ),
    );
    expect(svg).toContain('optimizer path');
    expect(svg).toContain('true parameters');
    expect(svg).toMatch(/<image preserveAspectRatio="none"[^>]*href="data:image\/png;base64,/);
    // The embedded bitmap holds every cell: 200 × 200
    const b64 = /href="data:image\/png;base64,([^"]+)"/.exec(svg)![1]!;
    const bitmap = Buffer.from(b64, 'base64');
    expect(bitmap.readUInt32BE(16)).toBe(200);
    expect(bitmap.readUInt32BE(20)).toBe(200);
    const png = await svgToPng(svg, 300);
    // 800 × 560 at 300/96
    expect(png.readUInt32BE(16)).toBe(2500);
    expect(png.readUInt32BE(20)).toBe(1750);
  });

  it('a paper landscape and error map: colour bars with numbers and a label, Greek axes, PNG at its size, PDF with its text', async () => {
    const n = 40;
    const xs = Array.from({ length: n }, (_, i) => (8 * i) / (n - 1));
    const ys = Array.from({ length: n }, (_, i) => (2 * i) / (n - 1));
    // loss from ≈ 0.03 (nearest node to the minimum) to ≈ 1.2e2: decades 10⁻¹ … 10² inside
    const loss = ys.flatMap((a) => xs.map((k) => (k - 4) ** 2 + 100 * (a - 1) ** 2 + 1e-3));
    const landscape = landscapeOption(
      {
        xName: 'k',
        yName: 'alpha',
        xValues: xs,
        yValues: ys,
        loss,
        truth: [4, 1],
        title: 'Loss landscape',
      },
      nodeImageSource,
    );
    expect(svgTexts(renderSvg(landscape))).toContain('Loss landscape'); // the screen style has it
    const svg = renderSvg(landscape, FIGURE_STYLES.paper);
    const texts = svgTexts(svg);
    // the colour bar: decade ticks as 10ⁿ with real superscripts, and the quantity's name
    for (const tick of ['10⁻¹', '10⁰', '10¹', '10²']) expect(texts).toContain(tick);
    expect(texts).toContain('loss');
    expect(texts).toContain('α'); // alpha as a Greek letter
    expect(svg).toContain('font-family:DejaVu Serif');
    expect(texts).not.toContain('Loss landscape'); // paper figures leave the title to the caption
    // 3.4 in at 300 dpi is 1020 px, with a pHYs chunk of 300 dpi = 11811 px/m
    const png = await svgToPng(svg, 300);
    expect(png.readUInt32BE(16)).toBe(1020);
    const phys = png.indexOf('pHYs');
    expect([png.readUInt32BE(phys + 4), png.readUInt32BE(phys + 8), png[phys + 12]]).toEqual([
      11811, 11811, 1,
    ]);
    // the PDF is 3.4 in wide, its text is text (fonts embedded)
    const pdf = await svgToPdf(svg, FIGURE_STYLES.paper.widthIn, FIGURE_STYLES.paper.heightIn);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pdfText = pdfToText(pdf);
    expect(pdfText).toMatch(/true parameters/);
    expect(pdfText).toMatch(/loss/);
    const mediaBox = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'))!;
    expect(Number(mediaBox[1])).toBeCloseTo(3.4 * 72, 6);
    // an error map: its bar is labelled with the quantity, its ticks are numbers
    const map = errorMapOption(
      { xValues: xs, yValues: ys, values: loss.map((v) => v * 1e-6) },
      'relative',
      nodeImageSource,
    );
    const mapTexts = svgTexts(renderSvg(map, FIGURE_STYLES.paper));
    expect(mapTexts).toContain('|Δq̈| / |q̈|');
    expect(mapTexts.filter((t) => /^10[⁻⁰-⁹]+$/.test(t)).length).toBeGreaterThanOrEqual(3);
    expect(mapTexts).toContain('q₀');
  });

  it('writes a report bundle: figures in three formats and a Markdown summary', async () => {
    const study = parseStudy(
      JSON.parse(
        readFileSync(join(__dirname, '../../resources/studies/1.1-origin-exact-fit.json'), 'utf8'),
      ),
    );
    const store = ProjectStore.open(join(dir, 'p.lsproj'), { create: true });
    const out = await runStudy({
      ...study,
      sampling: { ...study.sampling, count: 1000 },
      landscape: {
        ...study.landscape!,
        x: { ...study.landscape!.x, count: 40 },
        y: { ...study.landscape!.y, count: 40 },
      },
    });
    const storeRun = (name: string) => {
      const runId = store.createRun(name, study);
      store.finishRun(runId, {
        status: 'completed',
        message: 'ok',
        results: out.results,
        history: out.history,
        checkpoint: out.checkpoint,
        finalLoss: out.results.training.finalLoss,
        bestLoss: out.results.training.bestLoss,
        step: 1000,
      });
      return runId;
    };
    const id = storeRun('origin');
    const l = out.landscape!;
    store.saveGrid(
      id,
      'landscape',
      { ...out.results.landscape, xValues: Array.from(l.xValues), yValues: Array.from(l.yValues) },
      40,
      40,
      l.loss,
    );
    const detail = {
      run: store.getRun(id)!,
      metrics: store.metrics(id),
      grids: store.grids(id).map((g) => ({ ...g, data: Array.from(g.data) })),
    };
    // A second run with the same name, in the same bundle: both keep every file.
    const twin = storeRun('origin');
    const twinDetail = { run: store.getRun(twin)!, metrics: store.metrics(twin), grids: [] };
    const bundle = await writeReportBundle([detail, twinDetail], join(dir, 'bundle'), { dpi: 96 });
    const figures = readdirSync(join(dir, 'bundle/figures')).filter((f) => f !== 'figures.json');
    for (const kind of ['loss', 'landscape', 'quiver']) {
      for (const ext of ['svg', 'png', 'csv'])
        expect(figures).toContain(`run-${id}-origin-${kind}.${ext}`);
    }
    expect(figures).toContain(`run-${twin}-origin-loss.svg`);
    // every file written is on disk: nothing overwritten
    const written = bundle.files.filter((f) => f.includes('/figures/'));
    expect(new Set(written).size).toBe(written.length);
    expect(figures).toHaveLength(written.length);
    const md = readFileSync(join(dir, 'bundle/summary.md'), 'utf8');
    expect(md).toMatch(/\| final loss \| \d/);
    expect(md).toMatch(
      new RegExp(`!\\[origin: landscape\\]\\(figures/run-${id}-origin-landscape\\.png\\)`),
    );
    // loss CSV: one row per stored metric
    const csv = readFileSync(join(dir, `bundle/figures/run-${id}-origin-loss.csv`), 'utf8')
      .trim()
      .split('\n');
    expect(csv.length - 1).toBe(detail.metrics.steps.length);
    expect(bundle.files.length).toBeGreaterThan(20);
    store.close();
  });
});
