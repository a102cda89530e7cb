import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS, TOOLBAR, matchesShortcut } from '../../src-shared/commands';
import { menuTemplate } from '../../src-main/shell/menu-template';
import { Settings } from '../../src-main/shell/settings';

const ROOT = join(__dirname, '../..');
const ids = new Set<string>(COMMANDS.map((c) => c.id));

describe('command registry, menu and shortcuts', () => {
  it('every command has a shortcut or a reason not to, and shortcuts are unique', () => {
    for (const c of COMMANDS)
      expect(
        ('shortcut' in c && c.shortcut) || ('noShortcut' in c && c.noShortcut),
        c.id,
      ).toBeTruthy();
    const shortcuts = COMMANDS.flatMap((c) => ('shortcut' in c ? [c.shortcut] : []));
    expect(new Set(shortcuts).size).toBe(shortcuts.length);
  });

  it('every menu item maps to a registered command, and every command is in a menu', () => {
    const seen: string[] = [];
    const template = menuTemplate(() => undefined, ['/tmp/a.lsproj']);
    expect(template.map((m) => m.label)).toEqual(['File', 'Edit', 'Run', 'View', 'Help']);
    for (const menu of template) {
      for (const item of menu.submenu as Array<{
        id?: string;
        accelerator?: string;
        role?: string;
        click?: unknown;
      }>) {
        expect(ids.has(item.id!), String(item.id)).toBe(true);
        seen.push(item.id!);
        const c = COMMANDS.find((x) => x.id === item.id)!;
        if ('shortcut' in c) expect(item.accelerator).toBe(c.shortcut);
        expect(
          item.role !== undefined || item.click !== undefined || item.id === 'file.openRecent',
        ).toBe(true);
      }
    }
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('a menu click forwards its command id', () => {
    const got: string[] = [];
    const template = menuTemplate(
      (id, arg) => got.push(arg ? `${id}:${arg}` : id),
      ['/p/x.lsproj'],
    );
    const run = (
      template.find((m) => m.label === 'Run')!.submenu as Array<{ id: string; click: () => void }>
    ).find((i) => i.id === 'run.start')!;
    run.click();
    const recent = (
      template[0]!.submenu as Array<{ id: string; submenu?: Array<{ click: () => void }> }>
    ).find((i) => i.id === 'file.openRecent')!;
    recent.submenu![0]!.click();
    expect(got).toEqual(['run.start', 'file.openRecent:/p/x.lsproj']);
  });

  it('every toolbar button and run-panel button names a registered command', () => {
    for (const id of TOOLBAR) expect(ids.has(id)).toBe(true);
    const sources = [
      'src-renderer/App.svelte',
      'src-renderer/components/Toolbar.svelte',
      'src-renderer/panels/RunPanel.svelte',
    ]
      .map((f) => readFileSync(join(ROOT, f), 'utf8'))
      .join('\n');
    const used = [...sources.matchAll(/data-command="([^"]+)"/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThanOrEqual(5);
    for (const id of used) expect(ids.has(id), id).toBe(true);
  });

  it('matches keyboard events to accelerators', () => {
    const ev = (
      key: string,
      mods: Partial<{
        ctrlKey: boolean;
        metaKey: boolean;
        shiftKey: boolean;
        altKey: boolean;
      }> = {},
    ) => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
    expect(matchesShortcut('CmdOrCtrl+Enter', ev('Enter', { ctrlKey: true }))).toBe(true);
    expect(matchesShortcut('CmdOrCtrl+Enter', ev('Enter', { metaKey: true }))).toBe(true);
    expect(matchesShortcut('CmdOrCtrl+Shift+S', ev('S', { ctrlKey: true, shiftKey: true }))).toBe(
      true,
    );
    expect(matchesShortcut('CmdOrCtrl+Shift+S', ev('s', { ctrlKey: true }))).toBe(false);
    expect(matchesShortcut('F1', ev('F1'))).toBe(true);
  });
});

describe('settings', () => {
  it('remembers recent projects (most recent first, no duplicates, at most 10) and the window', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lagrange-settings-'));
    try {
      const file = join(dir, 'settings.json');
      const s = new Settings(file);
      for (let i = 0; i < 12; i++) s.addRecent(`/p/${i}.lsproj`);
      s.addRecent('/p/5.lsproj');
      s.window = { x: 10, y: 20, width: 1200, height: 800 };
      const again = new Settings(file);
      expect(again.recentProjects[0]).toBe('/p/5.lsproj');
      expect(again.recentProjects).toHaveLength(10);
      expect(new Set(again.recentProjects).size).toBe(10);
      expect(again.window).toEqual({ x: 10, y: 20, width: 1200, height: 800 });
      // a damaged preferences file never stops the app
      writeFileSync(file, '{not json');
      expect(new Settings(file).recentProjects).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('installer configuration (static: Electron downloads are not reachable here)', () => {
  const config = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(config)?.[1]?.trim();
  it('names the app, includes the build and the studies, unpacks and rebuilds the native module', () => {
    expect(field('appId')).toBe('org.lagrangestudio.app');
    expect(field('productName')).toBe('Lagrange Studio');
    expect(config).toMatch(/files:\n\s+- out\/\*\*\n\s+- package.json/);
    expect(config).toMatch(/from: resources\/studies/);
    expect(config).toMatch(/asarUnpack:\n\s+- node_modules\/better-sqlite3\/\*\*/);
    expect(field('npmRebuild')).toBe('true');
  });
  it('targets AppImage and deb, dmg and nsis, with an icon that exists', () => {
    for (const t of ['AppImage', 'deb', 'dmg', 'nsis'])
      expect(config).toMatch(new RegExp(`- ${t}\\b`));
    const icon = field('icon')!;
    expect(existsSync(join(ROOT, icon))).toBe(true);
    const png = readFileSync(join(ROOT, icon));
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
  });
  it('npm run dist builds and packages; main points at the built main file', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.dist).toMatch(/npm run build && .*electron-builder/);
    expect(pkg.main).toBe('./out/main/index.js');
  });
});
