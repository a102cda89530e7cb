// The Electron shell: a hardened window and the API contract bound to IPC. Everything else
// (engine, store, jobs) lives in modules that never import electron.
import { app, BrowserWindow, ipcMain, session as electronSession, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHandlers } from './api/handlers';
import { bindIpc } from './api/ipc';
import { ProjectSession } from './api/session';
import { CONTENT_SECURITY_POLICY, mainWindowOptions } from './window-options';

const projects = new ProjectSession();
let mainWindow: BrowserWindow | null = null;
const rendererUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = join(__dirname, '../renderer/index.html');
const isTrustedUrl = (url: string) => (rendererUrl ? url.startsWith(rendererUrl) : url.startsWith(pathToFileURL(rendererFile).href));

function createWindow(): void {
  const window = new BrowserWindow(mainWindowOptions(join(__dirname, '../preload/index.js')));
  mainWindow = window;
  window.once('ready-to-show', () => window.show());
  // No navigation away from the app, no new windows; external links go to the system browser.
  window.webContents.on('will-navigate', (e, url) => { if (!isTrustedUrl(url)) e.preventDefault(); });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (rendererUrl) void window.loadURL(rendererUrl);
  else void window.loadFile(rendererFile);
  window.on('closed', () => { mainWindow = null; });
}

void app.whenReady().then(() => {
  electronSession.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  bindIpc(ipcMain, createHandlers(projects, 'ipc'), isTrustedUrl, projects, () => mainWindow?.webContents ?? null);
  createWindow();
  app.on('activate', () => { if (BrowserWindow.getAllWindows().length === 0) createWindow(); });
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

app.on('window-all-closed', () => {
  void projects.close().finally(() => { if (process.platform !== 'darwin') app.quit(); });
});
