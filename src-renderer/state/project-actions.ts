// A project's lifecycle in the studio: open, create (asking first in the browser), save as,
// switch (nothing of the previous project stays on the page), and prune its old landscapes.
import { AppError } from '../../src-shared/errors';
import { formatBytes } from '../../src-shared/charts/format';
import { dialogs } from './dialogs.svelte';
import type { Studio } from './studio.svelte';

/** After a project changed: its info and runs. */
export async function reloadProject(studio: Studio, path: string): Promise<void> {
  const before = studio.project.info?.project?.path;
  studio.project.info = await studio.api.invoke('app:info', {});
  studio.project.path = path;
  // another project: nothing of the previous one stays on the page (its run, Compare, report)
  if (studio.project.info.project?.path !== before) clearProjectPage(studio);
  await studio.runs.refresh();
}

/** The page of a project that is no longer open: back to the start screen. */
function clearProjectPage(studio: Studio): void {
  studio.newStudy();
  studio.runs.clear();
  studio.project.size = null;
}

/**
 * Drops the stored landscapes of all but the `keepNewest` newest runs, after asking (the
 * report's and active runs keep theirs); says what it freed.
 */
export async function pruneLandscapes(studio: Studio, keepNewest = 3): Promise<void> {
  const size = studio.project.size;
  if (!size || size.landscapeRuns <= keepNewest) {
    studio.view.notice = `Nothing to prune: ${size?.landscapeRuns ?? 0} runs have a stored landscape`;
    return;
  }
  const ok = await dialogs.confirmAction(
    'Prune landscapes',
    `Remove the stored loss landscapes of all but the ${keepNewest} newest runs (${size.landscapeRuns} runs hold ${formatBytes(size.landscapeBytes)})? The report's runs and running ones keep theirs; every other result stays, and running a study again recomputes its landscape.`,
    'Prune',
  );
  if (!ok) return;
  await studio.guard(async () => {
    const r = await studio.api.invoke('project:prune', { keepNewest });
    studio.project.size = r.size;
    studio.view.notice =
      `removed the landscapes of ${r.runs} runs (${formatBytes(r.freedBytes)})` +
      (r.compacted ? '' : '; the file shrinks once no job writes to it');
    if (studio.runs.selected !== null) await studio.runs.select(studio.runs.selected);
  });
}

/** Open the path field's project; one another process writes is offered read-only. */
export function openProject(studio: Studio, create: boolean): Promise<void> {
  studio.view.error = '';
  const path = studio.project.path;
  return studio.guard(async () => {
    try {
      await studio.api.invoke('project:open', { path, create });
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'locked')) throw err;
      const readOnly = await dialogs.confirmAction(
        'Project in use',
        err.message,
        'Open read-only',
        false,
      );
      if (!readOnly) return;
      await studio.api.invoke('project:open', { path, readOnly: true });
    }
    await reloadProject(studio, path);
  });
}

/** The native file dialog in Electron; the path field in the browser. */
export async function chooseProject(studio: Studio, create: boolean): Promise<boolean> {
  if (studio.api.transport === 'ipc') {
    await studio.guard(async () => {
      const opened = await studio.api.invoke('project:choose', { create });
      if (opened) await reloadProject(studio, opened.path);
    });
    return true;
  }
  if (!studio.project.path) return false;
  // the browser has no native dialog to confirm in: ask before a file is created
  if (
    create &&
    !(await dialogs.confirmAction(
      'New project',
      `Create a new project at ${studio.project.path} (on the machine running the studio)? An existing project there is opened instead.`,
      'Create',
      false,
    ))
  )
    return true;
  await openProject(studio, create);
  return true;
}

export function saveProjectAs(studio: Studio, path: string): Promise<void> {
  return studio.guard(async () => {
    await studio.api.invoke('project:save-as', { path });
    await reloadProject(studio, path);
  });
}
