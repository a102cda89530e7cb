// Read-only files and folders open read-only with the reason (never "damaged"), a refused file
// is never modified and leaves no -wal/-shm files, and a file with the project mark but no
// project tables is refused unchanged. Permissions do not bind root, so when the tests run as
// root the project is opened by a child process as `nobody`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { buildSync } from 'esbuild';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../src-main/store/project-store';
import { originExactStudy } from '../engine/fixtures';
import { APPLICATION_ID } from '../../src-main/store/schema';

const ROOT = join(__dirname, '../..');
const dirs: string[] = [];
afterEach(() => {
  portable = undefined;
  for (const d of dirs.splice(0)) {
    chmodSync(d, 0o755);
    rmSync(d, { recursive: true, force: true });
  }
});
const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const isRoot = process.getuid?.() === 0;

const STUDY = originExactStudy(1, 10);

/**
 * As root, the child runs as `nobody`, who must be able to reach what it runs. A clone in a
 * private (0700) folder cannot be reached (issue 31.9), so there the child is bundled into one
 * script and copied, with better-sqlite3's native binding, to a folder everyone can read.
 */
function unreachableForNobody(): boolean {
  if (!isRoot) return false;
  for (let dir = ROOT; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return true;
    if (dirname(dir) === dir) return false;
  }
}

let portable: { script: string; binding: string } | undefined;
/** The child as one CommonJS bundle beside a copy of the native binding, readable by all. */
function portableChild(): { script: string; binding: string } {
  if (portable) return portable;
  const dir = mkdtempSync(join(tmpdir(), 'lagrange-ro-child-'));
  dirs.push(dir); // removed after the first test; the next one builds it again
  chmodSync(dir, 0o755);
  const script = join(dir, 'read-only-child.cjs');
  buildSync({
    entryPoints: [join(__dirname, 'read-only-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: script,
    logLevel: 'error',
  });
  const binding = join(dir, 'better_sqlite3.node');
  copyFileSync(
    join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
    binding,
  );
  for (const f of [script, binding]) chmodSync(f, 0o755);
  return (portable = { script, binding });
}

/** Open the project as an unprivileged user (or as ourselves when not root). */
function openAsUser(path: string): Record<string, unknown> {
  const asNobody = isRoot ? { uid: 65534, gid: 65534 } : {};
  const env: NodeJS.ProcessEnv = { ...process.env, ...(isRoot ? { HOME: '/tmp' } : {}) };
  let args = [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(__dirname, 'read-only-child.ts')];
  if (unreachableForNobody()) {
    const child = portableChild();
    args = [child.script];
    env.LAGRANGE_SQLITE_BINDING = child.binding;
  }
  const out = execFileSync(process.execPath, [...args, path], {
    cwd: isRoot ? tmpdir() : ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env,
    ...asNobody,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

function project(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lagrange-ro-'));
  dirs.push(dir);
  const path = join(dir, 'p.lsproj');
  const store = ProjectStore.open(path, { create: true });
  store.createRun('kept', STUDY);
  store.close();
  return { dir, path };
}

describe('read-only projects', () => {
  // a read-only file; and one in a read-only folder (a mounted archive: the folder's case wins)
  for (const [title, dirMode, reason] of [
    ['a read-only file opens read-only with the reason', 0o777, 'the file is read-only'],
    [
      'a read-only file in a read-only folder opens as a snapshot (32.12)',
      0o555,
      'its folder is read-only: a snapshot',
    ],
  ] as const)
    it(`${title}; nothing changes, nothing is left`, () => {
      const { dir, path } = project();
      chmodSync(path, 0o444);
      chmodSync(dir, dirMode);
      const before = hash(path);
      const r = openAsUser(path);
      expect(r.openError).toBeUndefined();
      expect(r).toMatchObject({
        readOnly: true,
        reason,
        runs: ['kept'],
        writeError: 'read-only',
      });
      expect(hash(path)).toBe(before);
      expect(readdirSync(dir).sort()).toEqual(['p.lsproj']);
    }, 60_000);

  it('a project in a read-only folder opens read-only (or is refused as read-only), never as damaged', () => {
    const { dir, path } = project();
    chmodSync(path, 0o666);
    chmodSync(dir, 0o555);
    const before = hash(path);
    const r = openAsUser(path);
    if (r.openError) {
      expect((r.openError as { code: string }).code).toBe('read-only');
    } else {
      expect(r).toMatchObject({
        readOnly: true,
        reason: 'its folder is read-only: a snapshot',
        runs: ['kept'],
        writeError: 'read-only',
      });
    }
    expect(JSON.stringify(r)).not.toMatch(/damaged|truncated|internal/);
    expect(hash(path)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['p.lsproj']);
  }, 60_000);

  it('a file with the project mark but no tables is refused, bytes unchanged, no handle kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lagrange-ro-'));
    dirs.push(dir);
    const path = join(dir, 'marked.lsproj');
    const db = new Database(path);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.close();
    const before = hash(path);
    let error: { code?: string; message?: string } = {};
    try {
      ProjectStore.open(path);
    } catch (err) {
      error = err as typeof error;
    }
    expect(error.code).toBe('not-a-project');
    expect(error.message).toMatch(/no project tables/);
    expect(hash(path)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['marked.lsproj']);
    expect(existsSync(`${path}.lock`)).toBe(false);
    // no handle kept: the file can be removed and recreated at once
    rmSync(path);
    expect(existsSync(path)).toBe(false);
  });
});
