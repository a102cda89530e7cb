#!/usr/bin/env node
// `npm run audit:electron`: Doyensec's Electronegativity over the app's sources (main, preload,
// renderer, shared), pinned, through npx (it is not a dependency: it brings eslint 7 and
// TypeScript 4). Each finding it still reports is explained in docs/security.md.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electron = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies
  .electron;
const scan = mkdtempSync(join(tmpdir(), 'electronegativity-'));
try {
  for (const part of ['src-main', 'src-renderer', 'src-shared', 'package.json'])
    cpSync(join(root, part), join(scan, part), { recursive: true });
  const out = join(root, 'electronegativity.csv');
  const r = spawnSync(
    'npx',
    [
      '--yes',
      '@doyensec/electronegativity@1.10.3',
      '--input',
      scan,
      '--electron-version',
      electron,
      '--output',
      out,
      '--relative',
      '--verbose',
      'false',
    ],
    { stdio: 'inherit', shell: process.platform === 'win32' },
  );
  console.log(`\nfindings: ${out} (each is explained in docs/security.md)`);
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(scan, { recursive: true, force: true });
}
