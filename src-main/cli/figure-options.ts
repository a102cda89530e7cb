// --style, --formats and --colour-map of the figure exports, checked against what exists.
import { SEQUENTIAL_COLOUR_MAPS, type SequentialColourMap } from '../../src-shared/charts/colormap';
import {
  FIGURE_FORMATS,
  FIGURE_STYLE_NAMES,
  FIGURE_STYLES,
  type FigureFormat,
  type FigureStyle,
  type FigureStyleName,
} from '../../src-shared/figures/figure-style';
import { UsageError } from './args';

/** A named figure style (default `screen`). */
export function figureStyleOption(text: string | undefined): FigureStyle {
  if (text === undefined) return FIGURE_STYLES.screen;
  if (!(FIGURE_STYLE_NAMES as string[]).includes(text))
    throw new UsageError(`--style is one of ${FIGURE_STYLE_NAMES.join(', ')}, not "${text}"`);
  return FIGURE_STYLES[text as FigureStyleName];
}

/** A comma-separated list of formats (default svg,png,csv). */
export function figureFormatsOption(text: string | undefined): FigureFormat[] {
  if (text === undefined) return ['svg', 'png', 'csv'];
  const formats = text
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  const unknown = formats.filter((f) => !(FIGURE_FORMATS as readonly string[]).includes(f));
  if (unknown.length || formats.length === 0)
    throw new UsageError(
      `--formats lists some of ${FIGURE_FORMATS.join(', ')}, not "${unknown.join(',') || text}"`,
    );
  return [...new Set(formats)] as FigureFormat[];
}

/** A sequential colour map for fields (default viridis). */
export function colourMapOption(text: string | undefined): SequentialColourMap {
  if (text === undefined) return 'viridis';
  if (!(SEQUENTIAL_COLOUR_MAPS as readonly string[]).includes(text))
    throw new UsageError(
      `--colour-map is one of ${SEQUENTIAL_COLOUR_MAPS.join(', ')}, not "${text}"`,
    );
  return text as SequentialColourMap;
}
