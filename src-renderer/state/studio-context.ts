// What App gives every component below it, as one typed context (Svelte's createContext) rather
// than string keys: the API client, and readers of the screen theme, the app's info and the
// form's problems. A component drawn outside App (an export, a test) gets none and falls back.
import { createContext } from 'svelte';
import type { ApiClient, AppInfo } from '../../src-shared/api/contract';
import type { ScreenTheme } from '../../src-shared/charts/screen-theme';
import type { FormProblem } from '../../src-shared/study/form-problems';

export interface StudioContext {
  /** The client: each chart's PDF export, the measured-file upload. */
  readonly api: ApiClient;
  /** The screen theme: dark draws light text on the dark panel. */
  readonly screenTheme: () => ScreenTheme;
  readonly appInfo: () => AppInfo | null;
  /** The form's problems: each field shows its own (FieldError). */
  readonly formProblems: () => readonly FormProblem[];
}

const [get, set, has] = createContext<StudioContext>();

export const setStudioContext = set;

/** The studio's context, or undefined outside App. Call during component initialisation. */
export const studioContext = (): StudioContext | undefined => (has() ? get() : undefined);
