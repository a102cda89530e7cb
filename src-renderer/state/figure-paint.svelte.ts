// The colour map of fields (landscapes, error maps, |q̈|), on screen and in exports alike; kept
// across sessions in localStorage.
import {
  DEFAULT_COLOUR_MAP,
  SEQUENTIAL_COLOUR_MAPS,
  type SequentialColourMap,
} from '../../src-shared/charts/colormap';
import { FIGURE_STYLE_NAMES, type FigureStyleName } from '../../src-shared/figures/figure-style';

const KEY = 'lagrange.colourMap';

function stored(): SequentialColourMap {
  try {
    const v = globalThis.localStorage?.getItem(KEY);
    return v && (SEQUENTIAL_COLOUR_MAPS as readonly string[]).includes(v)
      ? (v as SequentialColourMap)
      : DEFAULT_COLOUR_MAP;
  } catch {
    return DEFAULT_COLOUR_MAP; // storage disabled: the default for this session
  }
}

const STYLE_KEY = 'lagrange.figureStyle';

function storedStyle(): FigureStyleName {
  try {
    const v = globalThis.localStorage?.getItem(STYLE_KEY);
    return v && (FIGURE_STYLE_NAMES as string[]).includes(v) ? (v as FigureStyleName) : 'screen';
  } catch {
    return 'screen';
  }
}

/** The fields' colour map, and the style each chart's own export draws in (kept too). */
export const figurePaint = $state<{ colourMap: SequentialColourMap; exportStyle: FigureStyleName }>(
  {
    colourMap: stored(),
    exportStyle: storedStyle(),
  },
);

export function setExportStyle(name: FigureStyleName): void {
  figurePaint.exportStyle = name;
  try {
    globalThis.localStorage?.setItem(STYLE_KEY, name);
  } catch {
    // not kept past this session
  }
}

export function setColourMap(name: SequentialColourMap): void {
  figurePaint.colourMap = name;
  try {
    globalThis.localStorage?.setItem(KEY, name);
  } catch {
    // not kept past this session
  }
}
