import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../../src-shared/errors';

/**
 * A folder or file path as the user typed it, made absolute the way a shell would read it:
 * `~` and `~/…` are the home folder; a relative path is relative to `base` (the home folder by
 * default, never the server's working directory, which the user cannot see). The reply says the
 * absolute path, so the user learns which folder a relative one meant.
 */
export function userPath(typed: string, base: string = homedir()): string {
  const path = typed.trim();
  if (!path) throw new AppError('bad-path', 'Give a folder');
  if (path.includes('\0')) throw new AppError('bad-path', 'A path cannot contain a NUL character');
  if (path === '~') return homedir();
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homedir(), path.slice(2));
  if (/^~[^/\\]/.test(path))
    throw new AppError(
      'bad-path',
      `"${path.slice(0, 80)}": ~user paths are not supported; give the full path`,
    );
  return isAbsolute(path) ? resolve(path) : resolve(base, path);
}
