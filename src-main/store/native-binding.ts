// better-sqlite3 is a native module, built for one ABI: Node's (tests, the CLI, `npm run serve`)
// or Electron's (the desktop app). `npm install` keeps Node's build in node_modules and stages an
// Electron build under native/ (scripts/electron-native.mjs); the store picks the one for the
// runtime it is in, so neither breaks the other.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from '../app-root';
import { AppError } from '../../src-shared/errors';

/** The one command that stages the Electron build (documented in docs/user-guide.md). */
export { appRoot };

export const REBUILD_COMMAND = 'npm run rebuild:electron';

/** Where the staged Electron build lives for an Electron version on this platform. */
export function electronBindingPath(
  electronVersion: string,
  root: string = appRoot(),
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  return join(
    root,
    'native',
    `better-sqlite3-electron-v${electronVersion}-${platform}-${arch}`,
    'better_sqlite3.node',
  );
}

/**
 * Options for `new Database(...)`: nothing under Node; under Electron the staged binding, or the
 * packaged app's own (electron-builder rebuilds it for Electron). A missing build is an AppError
 * with the command that fixes it, not a NODE_MODULE_VERSION stack trace.
 */
export function sqliteOptions(
  versions: NodeJS.ProcessVersions = process.versions,
  env: NodeJS.ProcessEnv = process.env,
): { nativeBinding?: string } {
  if (env.LAGRANGE_SQLITE_BINDING) return { nativeBinding: env.LAGRANGE_SQLITE_BINDING };
  const electron = versions.electron;
  if (!electron) return {};
  const root = appRoot();
  if (/app\.asar/.test(root)) return {}; // packaged: node_modules holds the Electron build
  const staged = electronBindingPath(electron, root);
  if (existsSync(staged)) return { nativeBinding: staged };
  throw new AppError(
    'native-module-missing',
    `The desktop app's database module is not built for Electron ${electron} (expected ${staged}). ` +
      `Run this once in the project folder, then start the app again:\n\n    ${REBUILD_COMMAND}`,
  );
}
