import { describe, expect, it } from 'vitest';
import { compareLayout, compareXValues, robustRange } from '../../src-shared/figures/compare';
import { landscapeAbsence } from '../../src-shared/figures/run-figures';
import type { RunDetail } from '../../src-shared/dto/runs';

describe('robust y-ranges for Compare', () => {
  it('leaves a diverged run out of the range and names it', () => {
    const ok1 = { label: '#1', values: [1, 0.5, 0.2, 0.1] };
    const ok2 = { label: '#2', values: [2, 0.9, 0.4, 0.3] };
    const diverged = { label: '#3 (α = −110)', values: [1, 1e3, 1e6, 1e9] };
    const r = robustRange([ok1, ok2, diverged], { log: true })!;
    expect(r.clipped).toEqual(['#3 (α = −110)']);
    expect(r.min).toBeCloseTo(0.1 / 1.5, 12);
    expect(r.max).toBeCloseTo(2 * 1.5, 12);
  });

  it('changes nothing when the runs are alike', () => {
    expect(
      robustRange([
        { label: 'a', values: [1, 2] },
        { label: 'b', values: [3, 4] },
      ]),
    ).toBeNull();
  });

  it('works on signed parameters (linear scale)', () => {
    const r = robustRange([
      { label: 'k', values: [1, 2, 3] },
      { label: 'k2', values: [1, 2, 4] },
      { label: 'alpha, diverged', values: [-110, -5e4, -1e7] },
    ])!;
    expect(r.clipped).toEqual(['alpha, diverged']);
    expect(r.min).toBeCloseTo(1 - 0.15, 12);
    expect(r.max).toBeCloseTo(4 + 0.15, 12);
  });
});

describe('the loss chart for Compare', () => {
  it('draws the raw curves faint behind the smoothed ones, under the same names', async () => {
    const { lossCurveOption } = await import('../../src-shared/charts/training');
    const run = { name: '#1', steps: [0, 1, 2], values: [3, 2, 1] };
    const o = lossCurveOption([run], 'Loss', { raw: [run], logY: false });
    const series = o.series as Array<{ name: string; lineStyle?: { opacity: number } }>;
    expect(series.map((s) => s.name)).toEqual(['#1', '#1']);
    expect(series[0]!.lineStyle).toEqual({ opacity: 0.25 });
    expect(series[1]!.lineStyle).toBeUndefined();
    expect((o.yAxis as { type: string }).type).toBe('value');
  });
});

describe("Compare's x axis", () => {
  const t0 = Date.parse('2026-12-03T10:00:00Z');
  const a = {
    steps: [0, 10, 20],
    times: [t0, t0 + 500, t0 + 1000],
    startedAt: null,
    msPerStep: 50,
  };
  const b = {
    steps: [0, 10],
    times: [t0 + 3000, t0 + 3200],
    startedAt: null,
    msPerStep: 20,
  };
  it('relative time starts each run at 0; wall time counts from the earliest start', () => {
    expect(compareXValues([a, b], 'relative')).toEqual({
      values: [
        [0, 0.5, 1],
        [0, 0.2],
      ],
      name: 'time since the run started (s)',
      estimated: false,
    });
    const wall = compareXValues([a, b], 'wall');
    expect(wall.values).toEqual([
      [0, 0.5, 1],
      [3, 3.2],
    ]);
    expect(wall.name).toBe('wall time since 10:00:00 UTC (s)');
    expect(compareXValues([a, b], 'step').values).toEqual([
      [0, 10, 20],
      [0, 10],
    ]);
  });

  it('a run without stored times is placed by its start and step rate, and says so', () => {
    const old = { steps: [0, 100], startedAt: '2026-12-03T10:00:01Z', msPerStep: 10 };
    const wall = compareXValues([a, old], 'wall');
    expect(wall.values[1]).toEqual([1, 2]);
    expect(wall.estimated).toBe(true);
    expect(wall.name).toMatch(/estimated$/);
  });
});

describe('Compare layout (issue 30.10)', () => {
  const loss = {
    xAxis: { type: 'value', name: 'step', min: 0, minInterval: 1 },
    legend: { top: 30 },
    series: [],
  };

  it('time axes in seconds with readable ticks: no whole-step interval, 4 significant digits', () => {
    const o = compareLayout(loss, 'relative', 'time since the run started (s)');
    const x = o.xAxis as unknown as {
      name: string;
      minInterval?: number;
      axisLabel: { formatter: (v: number) => string };
    };
    expect(x.name).toBe('time since the run started (s)');
    // a 0.4 s run had ticks at 0 and 1 only: minInterval 1 is gone
    expect(x.minInterval).toBeUndefined();
    expect(x.axisLabel.formatter(0.30000000000000004)).toBe('0.3');
    expect(x.axisLabel.formatter(123.456789)).toBe('123.5');
    // the step axis keeps whole steps
    expect((compareLayout(loss, 'step', 'step').xAxis as { minInterval: number }).minInterval).toBe(
      1,
    );
  });

  it('one scrolling legend row: a dozen runs never cover the plot', () => {
    expect((compareLayout(loss, 'step', 'step').legend as unknown as { type: string }).type).toBe(
      'scroll',
    );
  });
});

describe('landscapeAbsence', () => {
  const detail = (landscape: boolean, results: boolean, grid: boolean) =>
    ({
      run: {
        status: results ? 'completed' : 'cancelled',
        config: landscape ? { landscape: {} } : {},
        results: results ? {} : null,
      },
      grids: grid ? [{ kind: 'landscape', meta: {}, data: [] }] : [],
      metrics: {},
    }) as unknown as RunDetail;

  it('says why a run has no landscape, and nothing when it has one', () => {
    expect(landscapeAbsence(detail(true, true, true))).toBe('');
    expect(landscapeAbsence(detail(false, true, false))).toBe(
      'its study computes no loss landscape',
    );
    expect(landscapeAbsence(detail(true, false, false))).toMatch(/stopped before .* \(cancelled\)/);
    expect(landscapeAbsence(detail(true, true, false))).toMatch(/no landscape is stored/);
  });
});
