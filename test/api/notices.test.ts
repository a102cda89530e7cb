import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectNotices, noticesMarkdown } from '../../src-main/cli/third-party-notices';

describe('third-party notices', () => {
  const notices = collectNotices();

  it('cover the production dependencies with their licenses, not the dev tools', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const names = new Set(notices.map((n) => n.name));
    for (const dep of Object.keys(pkg.dependencies)) expect(names.has(dep), dep).toBe(true);
    for (const dev of ['vitest', 'eslint', 'prettier', 'electron-vite'])
      expect(names.has(dev), dev).toBe(false);
    // the renderer bundle compiles in the Svelte runtime and ECharts with its own dependency
    for (const bundled of ['svelte', 'echarts', 'zrender'])
      expect(names.has(bundled), bundled).toBe(true);
    // resvg is MPL-2.0: its notice and text must travel with the installers
    const resvg = notices.find((n) => n.name === '@resvg/resvg-js')!;
    expect(resvg.license).toBe('MPL-2.0');
    expect(resvg.text).toMatch(/Mozilla Public License/);
  });

  it('write a table and each license text', () => {
    const md = noticesMarkdown(notices);
    expect(md).toMatch(/^\| better-sqlite3 \| 12\.\d+\.\d+ \| MIT \|$/m);
    expect(md.match(/^## /gm)!.length).toBe(notices.length);
  });

  it('are packed into the installers beside the LICENSE', () => {
    const config = readFileSync('electron-builder.yml', 'utf8');
    expect(config).toMatch(/from: out\/THIRD-PARTY-NOTICES\.md/);
    expect(readFileSync('LICENSE', 'utf8')).toMatch(/^MIT License/);
  });
});
