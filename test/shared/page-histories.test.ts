import { describe, expect, it } from 'vitest';
import { pageHistories, parameterHistory, type RunDetail } from '../../src-shared/dto/runs';

// A run page gets the histories it plots (issue 30.11: a 300-coefficient run's 12 MB of JSON
// blocked the page): the first 12 parameters and the landscape's axes, each still found by the
// model's parameter index.
const detail = (width: number, steps = 3) =>
  ({
    run: {},
    grids: [],
    metrics: {
      steps: [...Array(steps).keys()],
      loss: Array(steps).fill(1),
      // parameter i at step s is 1000 s + i, its gradient −(1000 s + i)
      parameters: Array.from({ length: steps }, (_, s) =>
        Array.from({ length: width }, (_, i) => 1000 * s + i),
      ),
      gradients: Array.from({ length: steps }, (_, s) =>
        Array.from({ length: width }, (_, i) => -(1000 * s + i)),
      ),
    },
  }) as unknown as RunDetail;

describe('pageHistories', () => {
  it('keeps every column of a small model untouched', () => {
    const d = detail(12);
    expect(pageHistories(d, [3])).toBe(d);
  });

  it('keeps the first 12 and the extra columns of a large model, found by model index', () => {
    const page = pageHistories(detail(300), [250, 40, -1]);
    expect(page.metrics.parameterColumns).toEqual([...Array(12).keys(), 40, 250]);
    expect(page.metrics.parameters[0]).toHaveLength(14);
    expect(parameterHistory(page.metrics, 250)).toEqual([250, 1250, 2250]);
    expect(parameterHistory(page.metrics, 7, 'gradients')).toEqual([-7, -1007, -2007]);
    // a parameter the page does not carry has no history (not another parameter's)
    expect(parameterHistory(page.metrics, 100)).toBeUndefined();
    expect(parameterHistory(page.metrics, -1)).toBeUndefined();
    // the full detail answers every index
    expect(parameterHistory(detail(300).metrics, 100)).toEqual([100, 1100, 2100]);
  });
});
