#!/usr/bin/env node
// Stage better-sqlite3 built for Electron's ABI beside Node's own build (npm postinstall, and
// `npm run rebuild:electron`). Node's build in node_modules stays for tests, the CLI and
// `npm run serve`; the desktop app loads the staged one through better-sqlite3's nativeBinding
// option (src-main/store/native-binding.ts). Never fails the install: it says what it did.
//
// 1. a prebuilt binary: prebuild-install --runtime electron --target <electron version>
// 2. else from source: @electron/rebuild (needs Electron's headers, a C++ toolchain, Python)
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const force = process.argv.includes('--force');
const say = (text) => console.log(`[electron-native] ${text}`);

function main() {
  if (process.env.LAGRANGE_SKIP_ELECTRON_NATIVE) {
    say('skipped (LAGRANGE_SKIP_ELECTRON_NATIVE is set)');
    return 0;
  }
  let electron;
  try {
    electron = require('electron/package.json').version;
  } catch {
    say('electron is not installed: nothing to stage (the desktop app needs it)');
    return 0;
  }
  const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
  const target = join(
    root,
    'native',
    `better-sqlite3-electron-v${electron}-${process.platform}-${process.arch}`,
  );
  const binding = join(target, 'better_sqlite3.node');
  // (a binding that loads in Node was built for Node's ABI by mistake: build it again)
  if (existsSync(binding) && !force && !loadsInNode(binding)) {
    say(`better-sqlite3 for Electron ${electron} is staged already: ${binding}`);
    return 0;
  }
  const staging = mkdtempSync(join(tmpdir(), 'lagrange-electron-native-'));
  try {
    const built =
      prebuilt(sqliteDir, staging, electron) ?? fromSource(sqliteDir, staging, electron);
    if (!built) {
      say(
        `could not stage better-sqlite3 for Electron ${electron} (no download, no build). ` +
          'Tests, the CLI and `npm run serve` work; the desktop app will ask you to run ' +
          '`npm run rebuild:electron` once you are online.',
      );
      return 0;
    }
    const wrongAbi = loadsInNode(built);
    if (wrongAbi) {
      say(
        `the build is for Node's ABI, not Electron's (${wrongAbi}); not staged. ` +
          'Is nodedir set in an .npmrc? The desktop app will ask for `npm run rebuild:electron`.',
      );
      return 0;
    }
    mkdirSync(target, { recursive: true });
    copyFileSync(built, binding);
    say(`staged better-sqlite3 for Electron ${electron}: ${binding}`);
    return 0;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * npm hands its settings to scripts as npm_config_* variables; nodedir (Node's own headers, set on
 * some machines so native modules build offline) would make node-gyp build for Node's ABI.
 */
function electronBuildEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (/^npm_config_(nodedir|build_from_source|target|runtime|disturl|dist_url)$/i.test(key))
      delete env[key];
  return env;
}

/** Why a binary is not an Electron build: it loads in plain Node (same ABI). Null when it is. */
function loadsInNode(file) {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(file)})`], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return r.status === 0 ? `it loads in Node ${process.version}` : null;
}

/** A prebuilt binary for Electron's ABI, downloaded into a scratch copy of the package. */
function prebuilt(sqliteDir, staging, electron) {
  const dir = join(staging, 'prebuilt');
  mkdirSync(dir);
  copyFileSync(join(sqliteDir, 'package.json'), join(dir, 'package.json'));
  let bin;
  try {
    bin = require.resolve('prebuild-install/bin.js');
  } catch {
    say('prebuild-install is missing: skipping the download');
    return null;
  }
  say(`downloading a prebuilt better-sqlite3 for Electron ${electron} …`);
  const r = spawnSync(
    process.execPath,
    [
      bin,
      '--runtime',
      'electron',
      '--target',
      electron,
      '--arch',
      process.arch,
      '--platform',
      process.platform,
      '--force',
    ],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: electronBuildEnv(),
    },
  );
  const file = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (r.status === 0 && existsSync(file)) return file;
  say(`no prebuilt binary (${lastLine(r)})`);
  return null;
}

/** Build from source against Electron's headers with @electron/rebuild, in a scratch app. */
function fromSource(sqliteDir, staging, electron) {
  const app = join(staging, 'app');
  const module = join(app, 'node_modules', 'better-sqlite3');
  mkdirSync(dirname(module), { recursive: true });
  cpSync(sqliteDir, module, {
    recursive: true,
    filter: (p) => !/[\\/]build([\\/]|$)/.test(p.slice(sqliteDir.length)),
  });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'staging', version: '0.0.0', dependencies: { 'better-sqlite3': '*' } }),
  );
  let cli;
  try {
    cli = join(dirname(require.resolve('@electron/rebuild')), 'cli.js');
  } catch {
    say('@electron/rebuild is missing: cannot build from source');
    return null;
  }
  say(
    `building better-sqlite3 from source for Electron ${electron} (needs a C++ toolchain and Python) …`,
  );
  const r = spawnSync(
    process.execPath,
    [cli, '--version', electron, '--module-dir', app, '--only', 'better-sqlite3', '--force'],
    { cwd: app, encoding: 'utf8', timeout: 900_000, env: electronBuildEnv() },
  );
  const file = join(module, 'build', 'Release', 'better_sqlite3.node');
  if (r.status === 0 && existsSync(file)) return file;
  say(`the build failed (${lastLine(r)})`);
  return null;
}

function lastLine(r) {
  if (r.error) return r.error.message;
  const text = `${r.stderr ?? ''}\n${r.stdout ?? ''}`.split('\n').map((l) => l.trim());
  // the first line that names the error, else the last one
  const why =
    text.find((l) => /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|not found:/.test(l)) ??
    text.find((l) => /^(gyp ERR! stack )?Error:/.test(l) && !/most likely not a problem/.test(l));
  return (why ?? text.filter(Boolean).at(-1))?.slice(0, 300) ?? `exit ${r.status}`;
}

try {
  process.exitCode = main();
} catch (err) {
  say(`skipped after an unexpected error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 0;
}
