import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMeasuredFile } from '../../src-main/study/phases/data';
import { importMeasured } from '../../src-main/engine/measured';

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

describe('a missing column is named without echoing the file (issue 32.2)', () => {
  it('a 100 000-column header gives a short message naming the column and a few that exist', () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `secret_${i}_${'y'.repeat(60)}`);
    const text = `${header.join(',')}\n${header.map(() => '1').join(',')}\n`;
    let message = '';
    try {
      importMeasured(text, {
        kind: 'trajectory',
        time: 't',
        coordinates: ['x'],
        window: 5,
        order: 2,
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/no column "t" \(it has 100000 columns: .* and 99995 more\)/);
    expect(message.length).toBeLessThan(400);
    expect(message).not.toContain('secret_5_');
  });
});

describe('files past what one string holds, and missing files, in words (32.7, 30.4)', () => {
  it('a 600 MiB file (sparse) is refused before reading: V8 cannot hold it as one string', () => {
    const big = join(dir, 'big.csv');
    writeFileSync(big, '');
    truncateSync(big, 600 * 2 ** 20);
    const { err, ms } = refusal(big);
    expect(err.code).toBe('too-large');
    expect(err.message).toMatch(/has 600 MiB; files up to 51\d MiB can be read: split it/);
    expect(ms).toBeLessThan(1000);
  });

  it('a missing file says so', () => {
    const { err } = refusal(join(dir, 'nope.csv'));
    expect(err.message).toMatch(/nope\.csv: there is no such file$/);
  });
});
