// The Electron shell: a hardened window, the application menu from the command registry, and the
// API contract bound to IPC. Everything else (engine, store, jobs) lives in modules that never
// import electron.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  session as electronSession,
  shell,
} from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHandlers } from './api/handlers';
import { bindIpc } from './shell/ipc';
import { ProjectSession } from './api/session';
import { menuTemplate } from './shell/menu-template';
import { Settings } from './shell/settings';
import { CONTENT_SECURITY_POLICY, mainWindowOptions } from './shell/window-options';

// The menu is rebuilt when the recent projects change.
const settings: Settings = new Settings(join(app.getPath('userData'), 'settings.json'), () => {
  if (app.isReady()) buildMenu();
});
const projects = new ProjectSession({ settings });
let mainWindow: BrowserWindow | null = null;
const rendererUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = join(__dirname, '../renderer/index.html');
const isTrustedUrl = (url: string) =>
  rendererUrl ? url.startsWith(rendererUrl) : url.startsWith(pathToFileURL(rendererFile).href);

function buildMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        (id, arg) => projects.emit('command', { id, ...(arg ? { arg } : {}) }),
        settings.recentProjects,
      ),
    ),
  );
}

function createWindow(): void {
  const saved = settings.window;
  const window = new BrowserWindow({
    ...mainWindowOptions(join(__dirname, '../preload/index.js')),
    ...(saved ? { x: saved.x, y: saved.y, width: saved.width, height: saved.height } : {}),
  });
  mainWindow = window;
  window.once('ready-to-show', () => {
    if (saved?.maximized) window.maximize();
    window.show();
  });
  // Remember size and position.
  window.on('close', () => {
    settings.window = { ...window.getNormalBounds(), maximized: window.isMaximized() };
  });
  // No navigation away from the app, no new windows; external links go to the system browser.
  window.webContents.on('will-navigate', (e, url) => {
    if (!isTrustedUrl(url)) e.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (rendererUrl) void window.loadURL(rendererUrl);
  else void window.loadFile(rendererFile);
  window.on('closed', () => {
    mainWindow = null;
  });
}

async function chooseProjectPath(create: boolean): Promise<string | null> {
  const filters = [{ name: 'Lagrange Studio project', extensions: ['lsproj'] }];
  if (create) {
    const r = await dialog.showSaveDialog({
      title: 'New project',
      defaultPath: 'study.lsproj',
      filters,
    });
    return r.canceled || !r.filePath ? null : r.filePath;
  }
  const r = await dialog.showOpenDialog({
    title: 'Open project',
    properties: ['openFile'],
    filters,
  });
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

void app.whenReady().then(() => {
  electronSession.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
  const versions = {
    electron: process.versions.electron ?? '',
    chrome: process.versions.chrome ?? '',
    node: process.versions.node,
  };
  bindIpc(
    ipcMain,
    createHandlers(projects, 'ipc', { chooseProjectPath, versions }),
    isTrustedUrl,
    projects,
    () => mainWindow?.webContents ?? null,
  );
  buildMenu();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

app.on('window-all-closed', () => {
  void projects.close().finally(() => {
    if (process.platform !== 'darwin') app.quit();
  });
});
