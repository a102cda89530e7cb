import type { MenuItemConstructorOptions } from 'electron';
import { COMMANDS, type CommandId, type MenuName } from '../../src-shared/commands';

const MENUS: readonly MenuName[] = ['File', 'Edit', 'Run', 'View', 'Help'];

/**
 * The application menu from the command registry (pure: the main file passes `run`, which
 * forwards a command to the renderer, and the recent projects for File ▸ Open Recent).
 */
export function menuTemplate(
  run: (id: CommandId, arg?: string) => void,
  recentProjects: readonly string[],
): MenuItemConstructorOptions[] {
  return MENUS.map((menu) => ({
    label: menu,
    submenu: COMMANDS.filter((c) => c.menu === menu).map((c): MenuItemConstructorOptions => {
      if (c.id === 'file.openRecent') {
        return {
          id: c.id,
          label: c.label,
          submenu: recentProjects.length
            ? recentProjects.map((p) => ({ label: p, click: () => run('file.openRecent', p) }))
            : [{ label: 'No recent projects', enabled: false }],
        };
      }
      const base: MenuItemConstructorOptions = {
        id: c.id,
        label: c.label,
        ...('shortcut' in c && c.shortcut ? { accelerator: c.shortcut } : {}),
        toolTip: c.help,
      };
      return 'role' in c && c.role
        ? { ...base, role: c.role }
        : { ...base, click: () => run(c.id) };
    }),
  }));
}
