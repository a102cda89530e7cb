import { describe, expect, it } from 'vitest';
import { unfinishedReason } from '../../src-shared/dto/runs';
import type { StudyResults } from '../../src-shared/dto/results';

// The report gallery draws no figure from a run that lacks its data (30.3): it names the run and
// why. Before, a run paused or cancelled during an analysis had results, so the gallery drew
// empty frames with no note.
const results = (extra: Partial<StudyResults> = {}) => ({ ...extra }) as unknown as StudyResults;

describe('unfinishedReason', () => {
  it('a finished run is finished, whatever its fit did', () => {
    for (const status of ['completed', 'converged', 'diverged'] as const)
      expect(unfinishedReason({ status, results: results(), message: '' })).toBe('');
  });
  it('active runs and runs without results are unfinished', () => {
    expect(unfinishedReason({ status: 'running', results: null, message: '' })).toBe('running');
    expect(unfinishedReason({ status: 'paused', results: null, message: '' })).toBe(
      'paused, no results yet',
    );
  });
  it('a run stopped during an analysis is unfinished though it has results', () => {
    expect(
      unfinishedReason({
        status: 'paused',
        results: results({ cancelledIn: 'landscape' }),
        message: 'paused during landscape (the fit had finished)',
      }),
    ).toBe('paused during landscape');
    expect(
      unfinishedReason({
        status: 'cancelled',
        results: results({ cancelledIn: 'rollout' }),
        message: '',
      }),
    ).toBe('cancelled during rollout');
    expect(
      unfinishedReason({ status: 'cancelled', results: results(), message: 'cancelled at step 3' }),
    ).toBe('cancelled: cancelled at step 3');
  });
});
