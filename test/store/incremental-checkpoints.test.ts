// Checkpoints append: each one sends only the history records since the previous one, and the
// store drops rows off the thinned stride. Applied over a long run with checkpoints at irregular
// moments, the stored history equals the trainer's own (a second, whole-snapshot route), and the
// bytes written per checkpoint stay proportional to the new steps.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainingHistory } from '../../src-main/engine/training/history';
import { ProjectStore } from '../../src-main/store/project-store';
import { originExactStudy } from '../engine/fixtures';
import type { MetricsSeries } from '../../src-shared/dto/runs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const STUDY = originExactStudy(1, 10);

describe('incremental checkpoints', () => {
  it('deltas applied by the store rebuild exactly the trainer’s thinned history', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lagrange-ckpt-'));
    dirs.push(dir);
    const store = ProjectStore.open(join(dir, 'p.lsproj'), { create: true });
    const id = store.createRun('long', STUDY);
    const history = new TrainingHistory(64);
    const P = 50; // parameters per record
    let checkpoints = 0;
    let rowsSent = 0;
    for (let step = 0; step <= 20_000; step++) {
      const theta = Array.from({ length: P }, (_, i) => Math.sin(step + i));
      // a wall-clock time per record (7 ms a step from a fixed moment), kept with the record
      history.record(
        step,
        1 / (1 + step),
        theta,
        theta.map((t) => -t),
        false,
        Date.UTC(2026, 11, 3) + 7 * step,
      );
      // checkpoints at irregular intervals, before and after thinning events
      if (step % 997 === 13 || step % 1500 === 0) {
        const delta = history.delta();
        rowsSent += delta.steps.length;
        store.appendCheckpoint(id, { step, bestLoss: 1 / (1 + step), history: delta }, null);
        checkpoints++;
        const whole = history.snapshot();
        const stored = store.metrics(id);
        expect(stored.steps).toEqual(whole.steps);
        expect(stored.loss).toEqual(whole.loss);
        expect(stored.parameters).toEqual(whole.parameters);
        expect(stored.gradients).toEqual(whole.gradients);
        expect(stored.times).toEqual(whole.times);
        expect(stored.times!.at(-1)).toBe(Date.UTC(2026, 11, 3) + 7 * stored.steps.at(-1)!);
      }
    }
    expect(checkpoints).toBeGreaterThan(30);
    // Each checkpoint sent its new records only: far fewer than re-sending every buffer.
    expect(rowsSent).toBeLessThan(64 * 3 + checkpoints * 8);
    // The stored checkpoint keeps the state only; its history comes back from the metrics table.
    store.appendCheckpoint(id, { step: 20_000, bestLoss: 0, history: history.delta() }, null);
    const back = store.getCheckpoint<{ step: number; history: MetricsSeries & { stride: number } }>(
      id,
    )!;
    expect(back.history.steps).toEqual(history.snapshot().steps);
    expect(back.history.stride).toBe(history.snapshot().stride);
    store.close();
  });

  it('a resumed history sends only what the store does not have', () => {
    const first = new TrainingHistory(16);
    for (let s = 0; s < 40; s++) first.record(s, s, [s], [s]);
    const resumed = new TrainingHistory(16, first.snapshot());
    expect(resumed.delta().steps).toEqual([]);
    resumed.record(first.snapshot().stride * 100, 1, [1], [1]);
    expect(resumed.delta().steps).toEqual([first.snapshot().stride * 100]);
  });

  it('a long neural-sized history keeps the project small', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lagrange-ckpt-'));
    dirs.push(dir);
    const path = join(dir, 'p.lsproj');
    const store = ProjectStore.open(path, { create: true });
    const id = store.createRun('neural', STUDY);
    const history = new TrainingHistory(2000);
    const P = 400;
    const theta = new Float64Array(P);
    for (let step = 0; step <= 100_000; step++) {
      history.record(step, 1 / (1 + step), theta, theta);
      if (step % 5000 === 0)
        store.appendCheckpoint(id, { step, bestLoss: 0, history: history.delta() }, null);
    }
    store.close();
    // 2000 records × 2 × 400 float64 ≈ 12.8 MB at most, whatever the number of steps
    const size =
      statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    expect(size).toBeLessThan(20 * 2 ** 20);
  });
});
