// npm run notices (part of npm run build) — out/THIRD-PARTY-NOTICES.md: every package shipped
// with the app (the production dependency tree of package-lock.json and what the renderer bundle
// compiles in), its version and license, and its license text from node_modules.
// electron-builder puts the file into every installer.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const NOTICES_FILE = 'out/THIRD-PARTY-NOTICES.md';

interface LockPackage {
  readonly version?: string;
  readonly license?: string;
  readonly dev?: boolean;
  readonly optional?: boolean;
  readonly devOptional?: boolean;
}

export interface Notice {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly text: string | null;
}

/**
 * Packages shipped with the app: the production tree of the lockfile, and the packages the
 * renderer bundle compiles in from devDependencies (the Svelte runtime, anything src-renderer or
 * src-shared imports) with their own dependencies — with their license files where present.
 */
export function collectNotices(root = process.cwd()): Notice[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockPackage & { dependencies?: Record<string, string> }>;
  };
  const bundled = new Set<string>();
  const visit = (name: string) => {
    if (bundled.has(name) || !lock.packages[`node_modules/${name}`]) return;
    bundled.add(name);
    for (const dep of Object.keys(lock.packages[`node_modules/${name}`]!.dependencies ?? {}))
      visit(dep);
  };
  for (const name of importedPackages(root, ['src-renderer', 'src-shared'])) visit(name);
  return Object.entries(lock.packages)
    .filter(
      ([path, p]) =>
        path.startsWith('node_modules/') &&
        ((!p.dev && !p.devOptional) || bundled.has(path.slice('node_modules/'.length))),
    )
    .filter(([path]) => existsSync(join(root, path)))
    .map(([path, p]) => {
      const dir = join(root, path);
      const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
      return {
        name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
        version: p.version ?? '?',
        license: p.license ?? 'see the package',
        text: file ? readFileSync(join(dir, file), 'utf8').trim() : null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The packages (bare import specifiers: "svelte/store" → svelte) the sources of `folders` use. */
export function importedPackages(root: string, folders: readonly string[]): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|svelte|js)$/.test(entry.name))
        for (const m of readFileSync(path, 'utf8').matchAll(
          /(?:from|import)\s*\(?\s*['"]([^'".][^'"]*)['"]/g,
        )) {
          const spec = m[1]!;
          if (spec.startsWith('node:')) continue;
          const parts = spec.split('/');
          names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
        }
    }
  };
  for (const folder of folders) if (existsSync(join(root, folder))) walk(join(root, folder));
  // a compiled Svelte component imports the runtime even where the source never names it
  names.add('svelte');
  return names;
}

export function noticesMarkdown(notices: readonly Notice[]): string {
  const table = notices.map((n) => `| ${n.name} | ${n.version} | ${n.license} |`);
  const texts = notices.map(
    (n) =>
      `## ${n.name} ${n.version} (${n.license})\n\n${n.text ?? '(no license file in the package)'}\n`,
  );
  return [
    '# Third-party notices',
    '',
    'Lagrange Studio ships the packages below. Each keeps its own license, reproduced after the table.',
    '',
    '| package | version | license |',
    '|---|---|---|',
    ...table,
    '',
    ...texts,
  ].join('\n');
}

if (process.argv[1] && /third-party-notices\.(ts|js)$/.test(process.argv[1])) {
  const notices = collectNotices();
  mkdirSync('out', { recursive: true });
  writeFileSync(NOTICES_FILE, noticesMarkdown(notices));
  console.log(`wrote ${NOTICES_FILE}: ${notices.length} packages`);
}
