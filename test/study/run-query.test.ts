import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src-shared/dto/runs';
import { matchesRunQuery, parseRunQuery, unknownFields } from '../../src-shared/study/run-query';

const run = (id: number, lr: number, status: string, name: string, tags: string[] = []) =>
  ({
    id,
    name,
    status,
    tags,
    model: 'exact-form',
    optimizer: `gd (lr ${lr})`,
    step: 1000,
    finalLoss: lr * 10,
    bestLoss: lr * 10,
    settings: {
      'optimizer.algorithm': 'gd',
      'optimizer.learningRate': String(lr),
      'sampling.count': '10000',
    },
  }) as unknown as RunSummary;

const runs = [
  run(1, 0.001, 'completed', 'Origin window', ['report']),
  run(2, 0.01, 'diverged', 'GD lr 0.01 · q∈[−6, −4]×[4, 6]'),
  run(3, 0.0045, 'completed', 'Far from the origin', ['report', 'far']),
];
const ids = (text: string) =>
  runs.filter((r) => matchesRunQuery(r, parseRunQuery(text))).map((r) => r.id);

describe('searching runs by any setting', () => {
  it('compares a setting by its full path or its last part', () => {
    expect(ids('optimizer.learningRate<0.005')).toEqual([1, 3]);
    expect(ids('learningRate>=0.0045')).toEqual([2, 3]);
    expect(ids('sampling.count=10000')).toEqual([1, 2, 3]);
  });

  it('combines comparisons, run fields and free words (all must hold)', () => {
    expect(ids('status=completed far')).toEqual([3]);
    expect(ids('tag~report learningRate<0.002')).toEqual([1]);
    expect(ids('status!=completed')).toEqual([2]);
    expect(ids('finalLoss<0.05')).toEqual([1, 3]);
    expect(ids('origin')).toEqual([1, 3]);
  });

  it('names a field no run has (a typo) instead of silently matching nothing', () => {
    expect(unknownFields(runs, parseRunQuery('learningRat<0.01 status=completed'))).toEqual([
      'learningRat',
    ]);
    expect(ids('learningRat<0.01')).toEqual([]);
  });
});

describe('tags are a set (issue 30.12: the guide’s tag=paper found nothing on a run with two)', () => {
  it('tag=x holds when any tag is x; tag!=x when none is', () => {
    expect(ids('tag=report')).toEqual([1, 3]);
    expect(ids('tag=far')).toEqual([3]);
    expect(ids('tag!=far')).toEqual([1, 2]);
    expect(ids('tags=report status=completed')).toEqual([1, 3]);
  });
});
