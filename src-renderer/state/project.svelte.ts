/*
 * The open project as the page knows it: the app's info (which project, read-only or not), the
 * path typed in the toolbar, its size on disk, and what can be opened (bundled studies, recent
 * projects). Its lifecycle (open, create, save as, prune) is in project-actions.ts.
 */
import type { AppInfo, StudySpec } from '../../src-shared/api/contract';
import type { ProjectSize } from '../../src-shared/dto/runs';

export class ProjectState {
  info = $state<AppInfo | null>(null);
  /** The toolbar's path field: the open project's path, or what the user typed. */
  path = $state('');
  /** The open project's size on disk (shown in the toolbar, with pruning of landscapes). */
  size = $state<ProjectSize | null>(null);
  /** The report's bundled studies (the start screen). */
  examples = $state<Array<{ file: string; study: StudySpec }>>([]);
  recent = $state<string[]>([]);

  /** Whether a project is open (runs can start). */
  get isOpen(): boolean {
    return !!this.info?.project;
  }
}
