// The fonts every exported figure uses, bundled with the app (npm dejavu-fonts-ttf): the same
// glyphs on every machine, Greek, combining dots (q̇, q̈), sub- and superscripts included.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** TTF files by family and weight. */
export function bundledFontFiles(): Record<string, { regular: string; bold: string }> {
  const file = (name: string) => require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`);
  return {
    'DejaVu Sans': { regular: file('DejaVuSans'), bold: file('DejaVuSans-Bold') },
    'DejaVu Serif': { regular: file('DejaVuSerif'), bold: file('DejaVuSerif-Bold') },
  };
}

/** The bundled family for an SVG font-family list ("DejaVu Serif", "Helvetica, Arial, …"). */
export function bundledFamily(family: string | undefined): 'DejaVu Sans' | 'DejaVu Serif' {
  return /serif/i.test(family ?? '') && !/sans/i.test(family ?? '')
    ? 'DejaVu Serif'
    : 'DejaVu Sans';
}
