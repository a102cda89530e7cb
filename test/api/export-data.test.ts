// Runs as data from the app (the menu's Export Runs as Data…): the same files as `lagrange
// export`, written by the export worker, read back here.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src-main/api/handlers';
import { ProjectSession } from '../../src-main/api/session';
import { originExactStudy } from '../engine/fixtures';

const session = new ProjectSession();
const handlers = createHandlers(session, 'http');
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lagrange-export-data-'));
  await dispatch(handlers, 'project:open', { path: join(dir, 'p.lsproj'), create: true });
});
afterAll(async () => {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('export:data', () => {
  it('writes metrics and the dataset as CSV and NumPy arrays, equal to the stored run', async () => {
    const { id } = (await handlers['runs:start']({ study: originExactStudy(30) })) as {
      id: number;
    };
    await session.queue!.waitFor(id);
    const out = join(dir, 'data');
    const r = await dispatch(handlers, 'export:data', {
      runIds: [id],
      dir: out,
      formats: ['csv', 'npy'],
    });
    expect(r.ok).toBe(true);
    const files = (r as { value: { files: string[] } }).value.files;
    const metricsCsv = files.find((f) => f.endsWith('metrics.csv'))!;
    const detail = (await handlers['runs:get']({ id })) as {
      metrics: { loss: number[]; steps: number[] };
    };
    const rows = readFileSync(metricsCsv, 'utf8').trim().split('\n');
    expect(rows[0]!.split(',').slice(0, 2)).toEqual(['step', 'loss']);
    expect(rows).toHaveLength(detail.metrics.steps.length + 1);
    expect(Number(rows.at(-1)!.split(',')[1])).toBe(detail.metrics.loss.at(-1));
    // loss.npy: the NumPy header, then float64 little-endian values
    const npy = readFileSync(files.find((f) => f.endsWith('loss.npy'))!);
    expect(npy.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
    const headerLength = npy.readUInt16LE(8);
    const values = new Float64Array(
      npy.buffer.slice(npy.byteOffset + 10 + headerLength, npy.byteOffset + npy.length),
    );
    expect(Array.from(values)).toEqual(detail.metrics.loss);
    expect(files.some((f) => f.endsWith('dataset.csv'))).toBe(true);
  });

  it('refuses an unknown format at the boundary, naming it', async () => {
    const r = await dispatch(handlers, 'export:data', {
      runIds: [1],
      dir: join(dir, 'x'),
      formats: ['xlsx'],
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect((r as { error: { message: string } }).error.message).toMatch(/formats/);
  });
});
