import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMeasuredFile } from '../../src-main/study/phases/data';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lagrange-measured-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error a read gives, and how long it took to give it. */
function refusal(path: string) {
  const started = performance.now();
  try {
    readMeasuredFile(path);
  } catch (err) {
    return { err: err as { code: string; message: string }, ms: performance.now() - started };
  }
  throw new Error(`${path} was read`);
}

describe('measured-data files: only regular files under the cap are read', () => {
  it('/dev/zero is refused at once as a device, without reading', () => {
    const { err, ms } = refusal('/dev/zero');
    expect(err.code).toBe('bad-path');
    expect(err.message).toMatch(/a device or special file, not a regular file/);
    expect(ms).toBeLessThan(1000);
  });

  it('a FIFO is refused at once instead of blocking, and a folder by its kind', () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const { err, ms } = refusal(fifo);
    expect(err.message).toMatch(/a pipe \(FIFO\)/);
    expect(ms).toBeLessThan(1000);
    expect(refusal(dir).err.message).toMatch(/is a folder/);
  });

  it('a file over the cap is refused with its size and the setting, its content never quoted', () => {
    const file = join(dir, 'big.csv');
    writeFileSync(file, `t,q0\n${'0,1\n'.repeat(1000)}secret-line\n`);
    process.env.LAGRANGE_MAX_MEASURED_BYTES = '1000';
    try {
      const { err } = refusal(file);
      expect(err.code).toBe('too-large');
      expect(err.message).toMatch(
        /has 4017 bytes; the limit is 1000 \(LAGRANGE_MAX_MEASURED_BYTES\)/,
      );
      expect(err.message).not.toMatch(/secret/);
    } finally {
      delete process.env.LAGRANGE_MAX_MEASURED_BYTES;
    }
    expect(readMeasuredFile(file)).toMatch(/^t,q0\n/);
  });
});
