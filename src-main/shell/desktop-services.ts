// Native dialogs for the API's desktop-only channels: projects, export folders, measured CSV
// files, saving an exported figure, and the read-only offer for a project another process writes.
import type { BrowserWindow, Dialog, Shell } from 'electron';
import type { PathPurpose } from '../../src-shared/api/contract';
import type { DesktopServices } from '../api/handlers';

const PROJECT_FILTERS = [{ name: 'Lagrange Studio project', extensions: ['lsproj'] }];

const FILTERS_BY_EXTENSION: Record<string, { name: string; extensions: string[] }> = {
  png: { name: 'PNG image', extensions: ['png'] },
  svg: { name: 'SVG drawing', extensions: ['svg'] },
  pdf: { name: 'PDF document', extensions: ['pdf'] },
  csv: { name: 'CSV table', extensions: ['csv'] },
  json: { name: 'JSON', extensions: ['json'] },
};

export function desktopServices(
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog' | 'showMessageBox'>,
  window: () => BrowserWindow | null,
  versions: Record<string, string>,
  shell: Pick<Shell, 'showItemInFolder'>,
): DesktopServices {
  // Modal to the main window when there is one.
  const open = (o: Electron.OpenDialogOptions) => {
    const w = window();
    return w ? dialog.showOpenDialog(w, o) : dialog.showOpenDialog(o);
  };
  const save = (o: Electron.SaveDialogOptions) => {
    const w = window();
    return w ? dialog.showSaveDialog(w, o) : dialog.showSaveDialog(o);
  };
  return {
    versions,
    revealFile: (path) => shell.showItemInFolder(path),
    async chooseProjectPath(create) {
      if (create) {
        const r = await save({
          title: 'New project',
          defaultPath: 'study.lsproj',
          filters: PROJECT_FILTERS,
        });
        return r.canceled || !r.filePath ? null : r.filePath;
      }
      const r = await open({
        title: 'Open project',
        properties: ['openFile'],
        filters: PROJECT_FILTERS,
      });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async choosePath(purpose: PathPurpose, defaultPath?: string) {
      const at = defaultPath ? { defaultPath } : {};
      if (purpose === 'project-save-as') {
        const r = await save({ title: 'Save the project as', filters: PROJECT_FILTERS, ...at });
        return r.canceled || !r.filePath ? null : r.filePath;
      }
      const r = await open(
        purpose === 'export-folder'
          ? { title: 'Export to folder', properties: ['openDirectory', 'createDirectory'], ...at }
          : {
              title: 'Measured data (CSV or TSV)',
              properties: ['openFile'],
              filters: [{ name: 'Tables', extensions: ['csv', 'tsv', 'txt', 'dat'] }],
              ...at,
            },
      );
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async chooseSavePath(name) {
      const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
      const filter = FILTERS_BY_EXTENSION[ext];
      const r = await save({
        title: 'Export figure',
        defaultPath: name,
        ...(filter ? { filters: [filter] } : {}),
      });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async confirmReadOnly(message) {
      const options = {
        type: 'question' as const,
        message: 'This project is in use',
        detail: message,
        buttons: ['Open read-only', 'Cancel'],
        defaultId: 0,
        cancelId: 1,
      };
      const w = window();
      const r = await (w ? dialog.showMessageBox(w, options) : dialog.showMessageBox(options));
      return r.response === 0;
    },
  };
}
