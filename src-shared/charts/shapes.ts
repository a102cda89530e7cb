/*
 * Two shapes the figures draw by the hundred, registered with ECharts so a custom series draws all
 * of them as one element from screen coordinates. The same marks as SVG path text cost ECharts a
 * parse per mark (arcs worst): with the dots of a 25 × 25 quiver, half of the 70–110 ms the chart
 * took on the main thread when a run opened (issue 30.11). Every place that draws options
 * (Chart.svelte, the server's SVG render) calls `registerFigureShapes` first.
 */
import type * as EChartsModule from 'echarts';

export const ARROWS_SHAPE = 'lagrangeArrows';
export const DISCS_SHAPE = 'lagrangeDiscs';

/** Numbers per arrow: the shaft's start and tip, then the head's two outer points. */
export const ARROW_STRIDE = 8;

/** The moves of a path: moveTo and lineTo, and a full circle (PathProxy's own calls). */
interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(cx: number, cy: number, r: number, start: number, end: number, ccw?: boolean): void;
}

/**
 * Arrows of `len` pixels from screen points along unit vectors u (data orientation; screen y grows
 * downwards, so uy flips): a shaft and an open head of two strokes at ±26.6° (half-width 0.5 of
 * the head's 0.35·len length). Returns ARROW_STRIDE numbers per arrow:
 * x, y (start), tx, ty (tip), then the head's points either side of the shaft.
 */
export function arrowPoints(
  arrows: readonly number[][],
  toScreen: (p: number[]) => number[],
  len: number,
): Float64Array {
  const out = new Float64Array(arrows.length * ARROW_STRIDE);
  arrows.forEach(([x, y, ux, uy], i) => {
    const [px, py] = toScreen([x!, y!]) as [number, number];
    const dx = ux!,
      dy = -uy!;
    const tx = px + dx * len,
      ty = py + dy * len;
    const hx = -dx * 0.35 * len,
      hy = -dy * 0.35 * len;
    out.set(
      [
        px,
        py,
        tx,
        ty,
        tx + hx - hy * 0.5,
        ty + hy + hx * 0.5,
        tx + hx + hy * 0.5,
        ty + hy - hx * 0.5,
      ],
      i * ARROW_STRIDE,
    );
  });
  return out;
}

/** The arrows' strokes: shaft start → tip, then head point → tip → other head point. */
export function traceArrows(sink: PathSink, points: ArrayLike<number>): void {
  for (let i = 0; i + ARROW_STRIDE <= points.length; i += ARROW_STRIDE) {
    sink.moveTo(points[i]!, points[i + 1]!);
    sink.lineTo(points[i + 2]!, points[i + 3]!);
    sink.moveTo(points[i + 4]!, points[i + 5]!);
    sink.lineTo(points[i + 2]!, points[i + 3]!);
    sink.lineTo(points[i + 6]!, points[i + 7]!);
  }
}

/** Discs of radius r at screen points [x0, y0, x1, y1, …], each a closed circle. */
export function traceDiscs(sink: PathSink, centres: ArrayLike<number>, r: number): void {
  for (let i = 0; i + 1 < centres.length; i += 2) {
    sink.moveTo(centres[i]! + r, centres[i + 1]!);
    sink.arc(centres[i]!, centres[i + 1]!, r, 0, 2 * Math.PI);
  }
}

interface ArrowsShape {
  points: ArrayLike<number>;
}
interface DiscsShape {
  centres: ArrayLike<number>;
  r: number;
}

let registered = false;

/** Registers the shapes with this ECharts module (once; later calls do nothing). */
export function registerFigureShapes(echarts: typeof EChartsModule): void {
  if (registered) return;
  registered = true;
  const { extendShape, registerShape } = echarts.graphic;
  registerShape(
    ARROWS_SHAPE,
    extendShape({
      shape: { points: new Float64Array(0) },
      buildPath: (ctx: PathSink, shape: ArrowsShape) => traceArrows(ctx, shape.points),
    }),
  );
  registerShape(
    DISCS_SHAPE,
    extendShape({
      shape: { centres: new Float64Array(0), r: 1.5 },
      buildPath: (ctx: PathSink, shape: DiscsShape) => traceDiscs(ctx, shape.centres, shape.r),
    }),
  );
}
