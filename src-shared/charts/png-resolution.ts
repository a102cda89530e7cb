/*
 * A PNG's resolution: the pHYs chunk (pixels per metre in x and y, unit 1 = metre). Without it
 * LaTeX and word processors assume 72 dpi, so a "300 dpi" figure comes out four times too large.
 * Pure bytes in, bytes out, for server-side (resvg) and browser (canvas) exports alike.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE), as PNG chunks use it over type and data. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Pixels per metre for a DPI: 300 dpi → 11811. */
export const pixelsPerMetre = (dpi: number) => Math.round(dpi / 0.0254);

/** The PNG with a pHYs chunk for `dpi` right after IHDR (an existing pHYs is replaced). */
export function withResolution(png: Uint8Array, dpi: number): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Uint8Array[] = [png.subarray(0, 8)];
  let at = 8;
  const ppm = pixelsPerMetre(dpi);
  while (at < png.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const end = at + 12 + length;
    if (type !== 'pHYs') chunks.push(png.subarray(at, end));
    if (type === 'IHDR') {
      const body = new Uint8Array(4 + 9); // type, then x and y pixels per unit and the unit
      const b = new DataView(body.buffer);
      body.set([0x70, 0x48, 0x59, 0x73], 0); // "pHYs"
      b.setUint32(4, ppm);
      b.setUint32(8, ppm);
      body[12] = 1; // unit: metre
      const chunk = new Uint8Array(4 + body.length + 4);
      const c = new DataView(chunk.buffer);
      c.setUint32(0, 9);
      chunk.set(body, 4);
      c.setUint32(4 + body.length, crc32(body));
      chunks.push(chunk);
    }
    at = end;
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** The resolution a PNG declares, in dpi (rounded), or null without a pHYs chunk in metres. */
export function resolutionOf(png: Uint8Array): number | null {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at < png.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === 'pHYs' && png[at + 16] === 1) return Math.round(view.getUint32(at + 8) * 0.0254);
    at += 12 + length;
  }
  return null;
}
