// ECharts lays out figures in Node (SSR) with a rough estimate of text widths unless told
// otherwise: DejaVu Serif is wider than the estimate, so legends and colour-bar labels ran off a
// 3.4 in paper figure (issue 30.8). Text is measured here with the bundled fonts' own advance
// widths (fontkit, pure JS): the layout is the drawing's.
import * as echarts from 'echarts';
import { openSync, type Font } from 'fontkit';
import { bundledFamily, bundledFontFiles } from './fonts';

const fonts = new Map<string, Font>();
const widths = new Map<string, number>();

function fontOf(family: 'DejaVu Sans' | 'DejaVu Serif', bold: boolean): Font {
  const key = `${family}|${bold}`;
  let font = fonts.get(key);
  if (!font) {
    const files = bundledFontFiles()[family]!;
    font = openSync(bold ? files.bold : files.regular);
    fonts.set(key, font);
  }
  return font;
}

/**
 * The width in px of `text` drawn in a CSS font shorthand ("bold 10.67px DejaVu Serif", as
 * zrender writes it): advance width · size / unitsPerEm, in the bundled family it maps to.
 */
export function textWidth(text: string, cssFont: string): number {
  const key = `${cssFont}|${text}`;
  const known = widths.get(key);
  if (known !== undefined) return known;
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(cssFont)?.[1] ?? 12);
  const family = bundledFamily(cssFont.replace(/^.*?\d(?:\.\d+)?px\s*/, ''));
  const bold = /\bbold(er)?\b|\b[6-9]00\b/.test(cssFont);
  const font = fontOf(family, bold);
  const width = (font.layout(text).advanceWidth * size) / font.unitsPerEm;
  if (widths.size > 50_000) widths.clear();
  widths.set(key, width);
  return width;
}

let installed = false;

/** Makes ECharts' Node layout measure text with the bundled fonts (once per process). */
export function useBundledTextMetrics(): void {
  if (installed) return;
  installed = true;
  echarts.setPlatformAPI({
    measureText: (text: string, font?: string) => ({
      width: textWidth(text, font ?? '12px DejaVu Sans'),
    }),
  });
}
