import type { ImageSourceFactory } from '../../src-shared/charts/bitmap-series';

/** Bitmaps as canvases, for ECharts in the page. */
export const browserImageSource: ImageSourceFactory = (bitmap) => {
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d')!;
  ctx.putImageData(
    new ImageData(new Uint8ClampedArray(bitmap.rgba), bitmap.width, bitmap.height),
    0,
    0,
  );
  return canvas;
};
