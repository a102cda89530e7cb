import { describe, expect, it } from 'vitest';
import { groupRuns, templateOf, visibleRows } from '../../src-shared/study/run-groups';

const run = (id: number, over: Partial<Parameters<typeof templateOf>[0]> = {}) => ({
  id,
  name: `run ${id}`,
  status: 'completed',
  tags: [] as string[],
  settings: {} as Record<string, string>,
  ...over,
});

describe('runs list groups', () => {
  it('a run belongs to the study it started from: recorded, named in its description, or itself', () => {
    expect(templateOf(run(1, { settings: { template: '1.1 Origin window' } }))).toBe(
      '1.1 Origin window',
    );
    expect(
      templateOf(
        run(2, { settings: { description: 'Based on “1.2.1 Far window”, changed: window …' } }),
      ),
    ).toBe('1.2.1 Far window');
    expect(templateOf(run(3))).toBe('run 3');
  });

  it('groups by template, tag (a run in each of its tags, untagged apart) and status', () => {
    const runs = [
      run(5, { settings: { template: 'A' }, tags: ['x', 'y'], status: 'running' }),
      run(4, { settings: { template: 'B' }, tags: ['y'] }),
      run(3, { settings: { template: 'A' } }),
    ];
    const ids = (g: { runs: { id: number }[] }[]) => g.map((x) => x.runs.map((r) => r.id));
    expect(groupRuns(runs, 'template').map((g) => g.label)).toEqual(['A', 'B']);
    expect(ids(groupRuns(runs, 'template'))).toEqual([[5, 3], [4]]);
    expect(groupRuns(runs, 'tag').map((g) => g.label)).toEqual(['x', 'y', 'untagged']);
    expect(ids(groupRuns(runs, 'tag'))).toEqual([[5], [5, 4], [3]]);
    expect(ids(groupRuns(runs, 'status'))).toEqual([[5], [4, 3]]);
    expect(ids(groupRuns(runs, 'none'))).toEqual([[5, 4, 3]]);
  });

  it('renders only the rows in view of a 1000-row list, with spacers for the rest', () => {
    // 26 px rows, a 400 px viewport scrolled to row 500: rows 490–525 (10 overscan each side).
    const w = visibleRows(1000, 26, 500 * 26, 400, 10);
    expect(w).toEqual({ start: 490, end: 526, above: 490 * 26, below: (1000 - 526) * 26 });
    expect(visibleRows(1000, 26, 0, 400, 10)).toMatchObject({ start: 0, end: 26, above: 0 });
    const bottom = visibleRows(1000, 26, 1000 * 26, 400, 10);
    expect(bottom.end).toBe(1000);
    expect(bottom.below).toBe(0);
    expect(visibleRows(5, 26, 0, 400)).toEqual({ start: 0, end: 5, above: 0, below: 0 });
  });
});
