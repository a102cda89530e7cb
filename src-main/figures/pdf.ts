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
