/*
 * What the page shows around the study: the theme, which view or dialog is open, the last error
 * and the last notice. Every API call the stores make goes through `guard`, so an error lands
 * here, in one place.
 */
import { messageOf } from '../../src-shared/errors';

export type Theme = 'light' | 'dark';

export class ViewState {
  theme = $state<Theme>('light');
  /** Compare in front (with two or more runs ticked). */
  comparing = $state(false);
  showGallery = $state(false);
  showAbout = $state(false);
  showHelp = $state(false);
  showLogs = $state(false);
  /** The last failure, in words. */
  error = $state('');
  /** A short confirmation (an export's path), shown as a toast. */
  notice = $state('');

  /** Run `action`; a failure becomes the visible error instead of an unhandled rejection. */
  async guard<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (err) {
      this.error = messageOf(err);
      return undefined;
    }
  }
}
