// A measured-data file uploaded from the browser UI (it cannot name a path on the server's
// machine): streamed to disk beside the project, bounded, and removed again when the upload is
// cancelled or fails part-way. The study then names the file by its server path.
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../src-shared/errors';
import { maxMeasuredBytes } from '../study/measured-limit';

/** A file name safe on every file system: letters, digits, . _ - (others become _). */
export function safeUploadName(name: string): string {
  const base = basename(name.replace(/\\/g, '/')).replace(/[^A-Za-z0-9._-]/g, '_');
  const trimmed = base.replace(/^\.+/, '').slice(-120);
  return trimmed || 'upload.csv';
}

const size = (bytes: number) =>
  bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(0)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;

/**
 * Streams the request body to a new file in `folder` (never overwriting: the name carries the
 * time), at most `maxBytes`; returns its path and size. A cancelled or oversized upload leaves no
 * file behind.
 */
export async function receiveUpload(
  req: IncomingMessage,
  folder: string,
  name: string,
  maxBytes = maxMeasuredBytes(),
): Promise<{ path: string; bytes: number }> {
  mkdirSync(folder, { recursive: true });
  const path = join(
    folder,
    `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeUploadName(name)}`,
  );
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes)
        done(
          new AppError(
            'too-large',
            `The file is over ${size(maxBytes)}, the largest measured-data file the studio reads`,
          ),
        );
      else done(null, chunk);
    },
  });
  try {
    // 'wx': a new file only (no symlink or existing file is followed or replaced)
    await pipeline(req, limit, createWriteStream(path, { flags: 'wx' }));
  } catch (err) {
    rmSync(path, { force: true });
    if (err instanceof AppError) throw err;
    throw new AppError(
      'cancelled',
      `The upload of ${safeUploadName(name)} stopped before its end: nothing was kept`,
    );
  }
  return { path, bytes };
}
