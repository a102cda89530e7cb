// The colour map of fields (landscapes, error maps, |q̈|), on screen and in exports alike; kept
// across sessions in localStorage.
import {
  DEFAULT_COLOUR_MAP,
  SEQUENTIAL_COLOUR_MAPS,
  type ColourMapName,
} from '../../src-shared/charts/colormap';

const KEY = 'lagrange.colourMap';

function stored(): ColourMapName {
  try {
    const v = globalThis.localStorage?.getItem(KEY);
    return v && (SEQUENTIAL_COLOUR_MAPS as string[]).includes(v)
      ? (v as ColourMapName)
      : DEFAULT_COLOUR_MAP;
  } catch {
    return DEFAULT_COLOUR_MAP; // storage disabled: the default for this session
  }
}

export const figurePaint = $state<{ colourMap: ColourMapName }>({ colourMap: stored() });

export function setColourMap(name: ColourMapName): void {
  figurePaint.colourMap = name;
  try {
    globalThis.localStorage?.setItem(KEY, name);
  } catch {
    // not kept past this session
  }
}
