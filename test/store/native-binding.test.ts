// The desktop app opens projects with better-sqlite3 built for Electron (staged under native/ by
// `npm install`); Node keeps its own build. Faking process.versions.electron shows which binding
// is requested, and that a missing one gives the one command that fixes it.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseModuleProblem } from '../../src-main/api/session';
import {
  appRoot,
  electronBindingPath,
  REBUILD_COMMAND,
  sqliteOptions,
} from '../../src-main/store/native-binding';
import { ProjectStore } from '../../src-main/store/project-store';

const require = createRequire(import.meta.url);
const FAKE_ELECTRON = '0.0.0-lagrange-test';
const staged = electronBindingPath(FAKE_ELECTRON);
const dirs: string[] = [];

function asElectron<T>(fn: () => T): T {
  Object.defineProperty(process.versions, 'electron', {
    value: FAKE_ELECTRON,
    configurable: true,
    enumerable: true,
  });
  try {
    return fn();
  } finally {
    delete (process.versions as { electron?: string }).electron;
  }
}

afterEach(() => {
  rmSync(dirname(staged), { recursive: true, force: true });
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('better-sqlite3 for the runtime it runs in', () => {
  it('under Node: the default build, no nativeBinding', () => {
    expect(process.versions.electron).toBeUndefined();
    expect(sqliteOptions()).toEqual({});
    expect(appRoot()).toBe(join(__dirname, '../..'));
  });

  it('under Electron with the build missing: one clear message with the command', () => {
    const project = join(mkdtempSync(join(tmpdir(), 'lagrange-native-')), 'p.lsproj');
    dirs.push(dirname(project));
    asElectron(() => {
      let error: { code?: string; message?: string } = {};
      try {
        ProjectStore.open(project, { create: true });
      } catch (err) {
        error = err as typeof error;
      }
      expect(error.code).toBe('native-module-missing');
      expect(error.message).toContain(`not built for Electron ${FAKE_ELECTRON}`);
      expect(error.message).toContain(staged);
      expect(error.message).toContain(REBUILD_COMMAND);
      expect(error.message).not.toMatch(/NODE_MODULE_VERSION|at Object\./);
      expect(databaseModuleProblem()).toBe(error.message);
    });
  });

  it('under Electron: the staged binding is the one loaded', () => {
    // Stage Node's own build under the fake Electron version: it loads here, and require's
    // cache then shows which file better-sqlite3 was handed.
    const nodeBuild = join(
      dirname(require.resolve('better-sqlite3/package.json')),
      'build/Release/better_sqlite3.node',
    );
    mkdirSync(dirname(staged), { recursive: true });
    copyFileSync(nodeBuild, staged);
    const project = join(mkdtempSync(join(tmpdir(), 'lagrange-native-')), 'p.lsproj');
    dirs.push(dirname(project));
    asElectron(() => {
      expect(sqliteOptions()).toEqual({ nativeBinding: staged });
      const store = ProjectStore.open(project, { create: true });
      expect(store.listRuns()).toEqual([]);
      store.close();
      expect(databaseModuleProblem()).toBeNull();
    });
    expect(Object.keys(require.cache)).toContain(staged);
  });
});
