// Vector PDF of an exported SVG figure: pdfkit draws the SVG's paths and text (svg-to-pdfkit),
// with the bundled fonts embedded (subset), so the text stays text and the figure its size.
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { bundledFamily, bundledFontFiles } from './fonts';

/** An SVG drawn `widthIn` × `heightIn` inches (the SVG's pixels at 96 per inch) as PDF bytes. */
export function svgToPdf(svg: string, widthIn: number, heightIn: number): Promise<Buffer> {
  const size: [number, number] = [widthIn * 72, heightIn * 72];
  const doc = new PDFDocument({ size, margin: 0, info: { Creator: 'Lagrange Studio' } });
  const fonts = bundledFontFiles();
  for (const [family, files] of Object.entries(fonts)) {
    doc.registerFont(family, files.regular);
    doc.registerFont(`${family} Bold`, files.bold);
  }
  keepCombiningMarks(doc, Object.keys(fonts)[0]!);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  SVGtoPDF(doc, svg, 0, 0, {
    width: size[0],
    height: size[1],
    preserveAspectRatio: 'none',
    fontCallback: (family: string, bold: boolean) =>
      `${bundledFamily(family)}${bold ? ' Bold' : ''}`,
  });
  doc.end();
  return done;
}

/** Font prototypes already patched (one per pdfkit build). */
const patched = new WeakSet<object>();

/**
 * Combining marks (the dots of q̇ and q̈: U+0307, U+0308) have no advance width, and
 * svg-to-pdfkit skips every glyph of zero width when it writes text (issue 30.5: "q0" for q̇0).
 * The positions pdfkit's fonts report get a width of 10⁻⁵ em for such glyphs — the check passes,
 * nothing moves (the advance stays 0, the mark keeps its offset), the PDF's widths are the font's.
 */
function keepCombiningMarks(doc: PDFKit.PDFDocument, family: string): void {
  doc.font(family);
  const font = (doc as unknown as { _font: object })._font;
  type Positions = Array<{ advanceWidth: number; xAdvance: number }>;
  const proto = Object.getPrototypeOf(font) as {
    encode: (this: unknown, text: string, features?: unknown) => [string[], Positions];
  };
  if (patched.has(proto)) return;
  patched.add(proto);
  const encode = proto.encode;
  proto.encode = function (this: unknown, text: string, features?: unknown) {
    const [glyphs, positions] = encode.call(this, text, features);
    for (const p of positions) if (p.advanceWidth === 0 && p.xAdvance === 0) p.advanceWidth = 0.01;
    return [glyphs, positions];
  };
}
