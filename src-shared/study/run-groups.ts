/**
 * The runs list's groups: by the study a run started from, by tag, or by status. Pure, so the
 * list and its tests agree on what a group is.
 */
export type RunGrouping = 'none' | 'template' | 'tag' | 'status';

export const RUN_GROUPINGS: readonly RunGrouping[] = ['none', 'template', 'tag', 'status'];

export interface GroupableRun {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly tags: readonly string[];
  /** Dotted configuration paths → text (template, description, …). */
  readonly settings: Readonly<Record<string, string>>;
}

export interface RunGroup<R> {
  readonly key: string;
  readonly label: string;
  readonly runs: R[];
}

/**
 * The study a run started from: its recorded template, else the one its description names
 * ("Based on “…”, changed: …", runs from before templates were recorded), else its own name.
 */
export function templateOf(run: GroupableRun): string {
  const recorded = run.settings['template'];
  if (recorded) return recorded;
  const based = /^Based on “(.+?)”/.exec(run.settings['description'] ?? '');
  return based ? based[1]! : run.name;
}

/** Groups in first-seen order of the (already sorted) runs; a run with two tags is in both. */
export function groupRuns<R extends GroupableRun>(
  runs: readonly R[],
  by: RunGrouping,
): RunGroup<R>[] {
  if (by === 'none') return [{ key: '', label: '', runs: [...runs] }];
  const groups = new Map<string, R[]>();
  const add = (key: string, run: R) => groups.set(key, [...(groups.get(key) ?? []), run]);
  for (const run of runs) {
    if (by === 'template') add(templateOf(run), run);
    else if (by === 'status') add(run.status, run);
    else if (run.tags.length === 0) add('', run);
    else for (const tag of run.tags) add(tag, run);
  }
  return [...groups].map(([key, members]) => ({
    key,
    label: key || (by === 'tag' ? 'untagged' : '—'),
    runs: members,
  }));
}

/**
 * The slice of a list of fixed-height rows to render for a scroll position, with `overscan`
 * rows either side: [start, end) and the spacer heights above and below it.
 */
export function visibleRows(
  count: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan = 10,
): { start: number; end: number; above: number; below: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const start = Math.max(0, Math.min(count, first - overscan));
  const end = Math.min(count, first + Math.ceil(viewportHeight / rowHeight) + overscan);
  return { start, end, above: start * rowHeight, below: (count - end) * rowHeight };
}
