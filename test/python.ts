import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's python3 (where .ci/run installs python3-numpy), else the one on PATH. */
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function probe(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

export const hasNumpy = probe();
if (!hasNumpy)
  console.warn(
    `${PYTHON} has no numpy: the Python interop tests are skipped (apt-get install python3-numpy)`,
  );

/** Run a Python script with arguments; its stdout parsed as JSON. */
export function python<T>(script: string, args: readonly string[] = []): T {
  const out = execFileSync(PYTHON, ['-c', script, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as T;
}
