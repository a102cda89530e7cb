#!/usr/bin/env node
// The `lagrange` command (package.json "bin"): the CLI built by `npm run build` into
// out/main/cli.js, where the worker threads it starts are built too. Plain JavaScript, no tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(built)) {
  console.error('lagrange: the CLI is not built yet: run `npm run build` in the project folder');
  process.exit(1);
}
process.argv[1] = fileURLToPath(built); // the built module starts when it is the entry
await import(built.href);
