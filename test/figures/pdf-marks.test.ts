import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { xyLinesOption } from '../../src-shared/charts/training';
import { renderSvg } from '../../src-main/figures/render';
import { svgToPdf } from '../../src-main/figures/pdf';
import { FIGURE_STYLES } from '../../src-shared/figures/figure-style';

const pdfText = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' });

it('a PDF keeps the dots of q̇ and q̈ as text (issue 30.5: the phase portrait read "q0" against "q0")', async () => {
  const option = xyLinesOption(
    [
      { name: 'true', x: [0, 1, 2], y: [1, 0, -1] },
      { name: '|q̈| scale', x: [0, 1, 2], y: [0, 1, 0] },
    ],
    { title: 'Phase portrait (q0, q̇0)', xName: 'q0', yName: 'q̇0' },
  );
  for (const style of [FIGURE_STYLES.paper, FIGURE_STYLES.screen]) {
    const svg = renderSvg(option, style);
    expect(svg).toContain('q\u03070');
    const text = pdfText(await svgToPdf(svg, style.widthIn, style.heightIn));
    // q + combining dot above, then 0 (pdftotext may see the mark's offset as a space)
    expect(text).toMatch(/q\u0307 ?0/);
    expect(text).toContain('q\u0308'); // q + combining diaeresis
  }
});
