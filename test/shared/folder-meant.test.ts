import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { userPath } from '../../src-main/api/user-paths';
import { folderMeant } from '../../src-shared/dto/app';
import { formatBytes } from '../../src-shared/charts/format';

// Issue 30.14: the browser UI says which folder on the studio's machine an export goes to. The
// page's reading of a typed path must be the server's (userPath), checked here against it.
describe('folderMeant', () => {
  it('reads ~, relative and absolute paths as the server does', () => {
    for (const typed of ['~', '~/figs', 'figs', 'papers/2026/figs', '/tmp/out', ' figs '])
      expect(folderMeant(typed, homedir()), typed).toBe(userPath(typed));
  });
});

describe('formatBytes', () => {
  it('in binary units, three significant digits', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(400_000)).toBe('391 KiB');
    expect(formatBytes(12.3 * 2 ** 20)).toBe('12.3 MiB');
    expect(formatBytes(1.02 * 2 ** 30)).toBe('1.02 GiB');
  });
});
