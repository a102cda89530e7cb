// Where the application's own files are, from wherever the code runs: src-main (tsx, tests),
// out/main or out/main/chunks (the built bundle), or app.asar (the packaged app).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder of this application's package.json (works from src-main and from out/main). */
export function appRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && isOurs(pkg)) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

function isOurs(pkg: string): boolean {
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'lagrange-studio';
  } catch {
    return false;
  }
}
