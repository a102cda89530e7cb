import type { EChartsOption } from 'echarts';
import { gridDataOf } from './bitmap-series';
import { COLOUR_BAR_ID } from './colour-bar';

/** A file name that says which run and which figure: "origin-window-exact-form-landscape.svg". */
/** A name as a file-name part: ASCII word characters, dots and dashes, lower case. */
export function slug(s: string, fallback = 'figure'): string {
  return (
    s
      .normalize('NFKD')
      .replace(/[^\w.-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || fallback
  );
}

/**
 * "run-12-origin-window-landscape.svg": the run's id (runs may share a name), its name and the
 * figure's kind. Without an id (a comparison, the gallery) the name alone.
 */
export function figureFileName(runName: string, kind: string, ext: string, runId?: number): string {
  return `${runId === undefined ? '' : `run-${runId}-`}${slug(runName)}-${slug(kind)}.${ext}`;
}

const csvCell = (v: unknown) => {
  const s =
    typeof v === 'number'
      ? Number.isFinite(v)
        ? String(v)
        : ''
      : typeof v === 'string'
        ? v
        : v === null || v === undefined
          ? ''
          : JSON.stringify(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * The data behind a chart as CSV: one row per plotted point (series name, x, y, …), and one row
 * per cell for dense fields (x, y, value). Custom quiver rows carry the unit vector too.
 */
export function optionToCsv(option: EChartsOption): string {
  const series = (
    Array.isArray(option.series) ? option.series : option.series ? [option.series] : []
  ) as Array<{ id?: string; name?: string; type?: string; data?: unknown[] }>;
  const rows: string[] = [];
  // Columns named for the figure: its axes' names (step, loss, q₀ …); u, v only for quivers.
  const axisName = (axis: unknown, fallback: string) => {
    const first = (Array.isArray(axis) ? axis[0] : axis) as { name?: unknown } | undefined;
    return typeof first?.name === 'string' && first.name ? first.name : fallback;
  };
  const x = axisName(option.xAxis, 'x');
  const y = axisName(option.yAxis, 'y');
  const quiver = series.some(
    (s) =>
      s.type === 'custom' && Array.isArray(s.data?.[0]) && (s.data[0] as unknown[]).length === 4,
  );
  let header = quiver ? `series,${x},${y},u,v` : `series,${x},${y}`;
  for (const s of series) {
    if (s.id === COLOUR_BAR_ID) continue;
    const grid = gridDataOf(s);
    if (grid) {
      header = `series,${grid.xName},${grid.yName},${grid.valueName}`;
      const nx = grid.xValues.length;
      for (let iy = 0; iy < grid.yValues.length; iy++) {
        for (let ix = 0; ix < nx; ix++)
          rows.push(
            [s.name, grid.xValues[ix], grid.yValues[iy], grid.values[iy * nx + ix]]
              .map(csvCell)
              .join(','),
          );
      }
      continue;
    }
    if (
      s.type === 'custom' &&
      !(
        Array.isArray(s.data?.[0]) &&
        (s.data[0] as unknown[]).length >= 2 &&
        s.name &&
        !s.name.startsWith('excluded')
      )
    )
      continue;
    for (const d of s.data ?? []) {
      const values: unknown[] = Array.isArray(d) ? d : [d];
      rows.push([s.name, ...values].map(csvCell).join(','));
    }
  }
  return `${header}\n${rows.join('\n')}\n`;
}

/** zrender writes SVG <image> without preserveAspectRatio, so a 200 × 200 bitmap on a wide plot is
 * letterboxed; fields must stretch to their data extent exactly as on the canvas. */
export function stretchSvgImages(svg: string): string {
  return svg.replace(/<image(?![^>]*preserveAspectRatio)/g, '<image preserveAspectRatio="none"');
}
