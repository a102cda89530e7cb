// The Electron shell: a hardened window, the application menu from the command registry, the API
// contract bound to IPC, native dialogs, and a quit that keeps running jobs resumable. Everything
// else (engine, store, jobs) lives in modules that never import electron.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  session as electronSession,
  shell,
  utilityProcess,
  type WebContents,
} from 'electron';
import { EventEmitter } from 'node:events';
import { setChildSpawner, type ChildHandle } from './jobs/isolated';
import { join } from 'node:path';
import { createHandlers } from './api/handlers';
import { databaseModuleProblem, ProjectSession } from './api/session';
import { desktopServices } from './shell/desktop-services';
import { denyAllPermissions, isAllowedExternal, trustedUrlCheck } from './shell/hardening';
import { bindIpc } from './shell/ipc';
import { menuTemplate } from './shell/menu-template';
import { componentLog, setLogDirectory } from './logging';
import { Settings } from './shell/settings';
import { CONTENT_SECURITY_POLICY, mainWindowOptions } from './shell/window-options';

// The log goes where the platform keeps an application's logs (workers inherit the folder).
setLogDirectory(app.getPath('logs'));
componentLog('app').info(
  { version: app.getVersion(), electron: process.versions.electron, platform: process.platform },
  'desktop app started',
);
app.on('render-process-gone', (_e, _contents, details) =>
  componentLog('app').error({ reason: details.reason, exitCode: details.exitCode }, 'page crashed'),
);
app.on('child-process-gone', (_e, details) =>
  componentLog('app').warn({ type: details.type, reason: details.reason }, 'child process gone'),
);

// Native renderers (resvg, pdfkit) run in Electron's utility processes: no RunAsNode fuse needed,
// and an abort there is an error naming the figure (src-main/jobs/isolated.ts).
setChildSpawner((modulePath): ChildHandle => {
  const child = utilityProcess.fork(modulePath, [], { serviceName: 'Lagrange Studio figures' });
  const events = new EventEmitter();
  child.on('message', (message: unknown) => events.emit('message', message));
  // a utility process reports an exit code only; a crash shows as a code other than 0
  child.on('exit', (code: number) => events.emit('exit', code, null));
  return {
    postMessage: (message) => child.postMessage(message),
    on: (event: string, listener: (...args: unknown[]) => void) => void events.on(event, listener),
    kill: () => void child.kill(),
  } as ChildHandle;
});

// The menu is rebuilt when the recent projects change.
const settings: Settings = new Settings(join(app.getPath('userData'), 'settings.json'), () => {
  if (app.isReady()) buildMenu();
});
const projects = new ProjectSession({ settings });
let mainWindow: BrowserWindow | null = null;
const isTrustedUrl = trustedUrlCheck(
  process.env.ELECTRON_RENDERER_URL,
  join(__dirname, '../renderer/index.html'),
);

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

/** Every web contents (window, frame): no navigation away, no new windows, no webviews. */
function guardContents(contents: WebContents): void {
  const refuse = (e: { preventDefault(): void }, url: string) => {
    if (!isTrustedUrl(url)) e.preventDefault();
  };
  contents.on('will-navigate', refuse);
  contents.on('will-redirect', refuse);
  contents.on('will-frame-navigate', (e) => refuse(e, e.url));
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
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
  window.on('close', (e) => {
    settings.window = { ...window.getNormalBounds(), maximized: window.isMaximized() };
    // Closing the window quits, through the same question as File ▸ Quit.
    if (!quitting) {
      e.preventDefault();
      app.quit();
    }
  });
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void window.loadFile(join(__dirname, '../renderer/index.html'));
  window.on('closed', () => {
    mainWindow = null;
  });
}

/** "2 runs are training. Stop them and keep their checkpoints?" — true to go on quitting. */
async function confirmStopRuns(): Promise<boolean> {
  const n = projects.activeRuns;
  if (n === 0) return true;
  const options = {
    type: 'question' as const,
    message: `${n} run${n === 1 ? ' is' : 's are'} training. Stop ${n === 1 ? 'it' : 'them'} and keep ${n === 1 ? 'its checkpoint' : 'their checkpoints'}?`,
    detail: 'Stopped runs are marked interrupted and resume from their last checkpoint.',
    buttons: ['Stop and quit', 'Keep running'],
    defaultId: 0,
    cancelId: 1,
  };
  const r = await (mainWindow
    ? dialog.showMessageBox(mainWindow, options)
    : dialog.showMessageBox(options));
  return r.response === 0;
}

// Quit: ask when runs are training, then stop them at their next checkpoint ('interrupted').
let quitting = false;
app.on('before-quit', (e) => {
  if (quitting) return;
  e.preventDefault();
  void confirmStopRuns().then(async (go) => {
    if (!go) return;
    quitting = true;
    await projects.close();
    app.quit();
  });
});
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => {
    quitting = true;
    void projects.close().finally(() => app.exit(0));
  });

void app.whenReady().then(() => {
  const defaultSession = electronSession.defaultSession;
  denyAllPermissions(defaultSession);
  defaultSession.webRequest.onHeadersReceived((details, callback) => {
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
    createHandlers(
      projects,
      'ipc',
      desktopServices(dialog, () => mainWindow, versions, shell),
    ),
    isTrustedUrl,
    projects,
    () => mainWindow?.webContents ?? null,
  );
  buildMenu();
  createWindow();
  // The database module must be built for Electron: say how, once, instead of a stack trace.
  const problem = databaseModuleProblem();
  if (problem) dialog.showErrorBox('Lagrange Studio cannot open projects yet', problem);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('web-contents-created', (_e, contents) => guardContents(contents));

app.on('window-all-closed', () => app.quit());
