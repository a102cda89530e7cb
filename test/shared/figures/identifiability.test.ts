import { describe, expect, it } from 'vitest';
import type { StudyResults } from '../../../src-shared/dto/results';
import { unidentifiableDirection } from '../../../src-shared/figures/identifiability';

const results = (sloppy: number[], condition: number, rank = sloppy.length) =>
  ({
    model: { parameterNames: ['k', 'alpha', 'c'].slice(0, sloppy.length) },
    identifiability: { sloppyDirection: sloppy, conditionNumber: condition },
    exact: { rank },
  }) as unknown as StudyResults;

describe('unidentifiable directions', () => {
  it('names nothing for a well-posed fit', () => {
    expect(unidentifiableDirection(results([0, 1], 973))).toBeNull();
  });

  it('names the one parameter the loss ignores (a total derivative c q q̇)', () => {
    expect(unidentifiableDirection(results([0, 0, -1], Infinity))).toEqual({
      parameter: 'c',
      direction: 'c',
    });
  });

  it('writes a mixed null direction as a combination, dominant component positive', () => {
    // L depends on k and alpha only through k + alpha: the null direction is (1, −1)/√2
    expect(unidentifiableDirection(results([-Math.SQRT1_2, Math.SQRT1_2], 1e17, 1))).toEqual({
      parameter: 'k',
      direction: '0.707 k − 0.707 alpha',
    });
  });
});
