// A stand-in for the `electron` module, so the built desktop bundle (out/main, out/preload,
// out/renderer) runs here in plain Node, where Electron cannot be downloaded. A BrowserWindow is a
// Chromium page (playwright-core, Debian's chromium); the preload runs in this process with its
// contextBridge API exposed to the page as bindings, and its ipcRenderer talks to ipcMain here.
// Like Electron, the page has no working window.prompt. Dialog answers come from the JSON file
// STANDIN_DIALOGS (read at each call); every dialog, external link and quit is logged as a JSON
// line to STANDIN_LOG so the test can check what the user would have seen.
'use strict';
const { EventEmitter } = require('node:events');
const { appendFileSync, mkdirSync, mkdtempSync, readFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { chromium } = require('playwright-core');

const env = process.env;
const log = (entry) => {
  if (env.STANDIN_LOG) appendFileSync(env.STANDIN_LOG, `${JSON.stringify(entry)}\n`);
};
const answers = () => {
  try {
    return JSON.parse(readFileSync(env.STANDIN_DIALOGS, 'utf8'));
  } catch {
    return {};
  }
};

// ---- Chromium: one persistent context, so a CDP client (the test) sees the same pages ----
let contextPromise = null;
function browserContext() {
  if (env.STANDIN_USER_DATA) mkdirSync(env.STANDIN_USER_DATA, { recursive: true });
  contextPromise ??= chromium.launchPersistentContext(
    // under STANDIN_USER_DATA, so a test can find (and kill) this Chromium by its folder
    mkdtempSync(join(env.STANDIN_USER_DATA || tmpdir(), 'standin-chromium-')),
    {
      executablePath: env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1440, height: 920 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
        // Electron loads the renderer from file:// with module scripts
        '--allow-file-access-from-files',
        `--remote-debugging-port=${env.STANDIN_CDP_PORT || 0}`,
      ],
    },
  );
  return contextPromise;
}

// ---- ipcMain and the renderer side of IPC ----
const handlers = new Map();
const ipcMain = {
  handle(channel, fn) {
    if (handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, fn);
  },
  removeHandler(channel) {
    handlers.delete(channel);
  },
  on() {},
};

/** The preload's ipcRenderer, bound to the window it was loaded for. */
function rendererIpc(win) {
  const listeners = new EventEmitter();
  win.webContents._deliver = (channel, args) => listeners.emit(channel, { sender: null }, ...args);
  return {
    async invoke(channel, ...args) {
      const fn = handlers.get(channel);
      if (!fn) throw new Error(`No handler registered for '${channel}'`);
      const event = { sender: win.webContents, senderFrame: { url: win.webContents.getURL() } };
      // IPC copies values (structured clone)
      return structuredClone(await fn(event, ...structuredClone(args)));
    },
    on(channel, listener) {
      listeners.on(channel, listener);
      return this;
    },
    removeListener(channel, listener) {
      listeners.removeListener(channel, listener);
      return this;
    },
    send() {},
  };
}

let loadingPreloadFor = null;
const contextBridge = {
  exposeInMainWorld(name, api) {
    loadingPreloadFor._exposed[name] = api;
  },
};
// The preload reads ipcRenderer when it calls, not when it loads: one app window, one bridge.
let preloadIpc = null;
const ipcRendererProxy = new Proxy({}, { get: (_t, key) => preloadIpc?.[key] });

/** An Electron event a listener may cancel (close, before-quit). */
const preventable = () => ({
  defaultPrevented: false,
  preventDefault() {
    this.defaultPrevented = true;
  },
});

// ---- windows ----
const windows = new Set();
class WebContents extends EventEmitter {
  constructor(win) {
    super();
    this._win = win;
    this._openHandler = null;
  }
  getURL() {
    return this._win._page ? this._win._page.url() : '';
  }
  send(channel, ...args) {
    this._deliver?.(channel, structuredClone(args));
  }
  setWindowOpenHandler(fn) {
    this._openHandler = fn;
  }
  isDestroyed() {
    return this._win._closed;
  }
}

class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return [...windows];
  }
  constructor(options = {}) {
    super();
    this._options = options;
    this._exposed = {};
    this._closed = false;
    this.webContents = new WebContents(this);
    windows.add(this);
    app.emit('web-contents-created', {}, this.webContents);
    this._ready = this._open();
  }
  async _open() {
    const context = await browserContext();
    const page = await context.newPage();
    this._page = page;
    const preload = this._options.webPreferences?.preload;
    if (preload) {
      // Run the built preload here, as Electron runs it beside the page.
      preloadIpc = rendererIpc(this);
      loadingPreloadFor = this;
      delete require.cache[preload];
      require(preload);
      loadingPreloadFor = null;
    }
    for (const [name, api] of Object.entries(this._exposed)) {
      await page.exposeFunction(`__standin_${name}_invoke`, (key, ...args) => api[key](...args));
      await page.exposeFunction(`__standin_${name}_on`, (event) => {
        api.on(
          event,
          (payload) =>
            void page
              .evaluate(([n, e, p]) => window[`__standin_${n}_emit`](e, p), [name, event, payload])
              .catch(() => undefined),
        );
      });
      await page.addInitScript((n) => {
        const listeners = new Map();
        const subscribed = new Set();
        window[`__standin_${n}_emit`] = (event, payload) => {
          for (const l of listeners.get(event) ?? []) l(payload);
        };
        window[n] = Object.freeze({
          invoke: (channel, request) => window[`__standin_${n}_invoke`]('invoke', channel, request),
          on: (event, listener) => {
            if (!listeners.has(event)) listeners.set(event, new Set());
            listeners.get(event).add(listener);
            if (!subscribed.has(event)) {
              subscribed.add(event);
              void window[`__standin_${n}_on`](event);
            }
            return () => listeners.get(event).delete(listener);
          },
        });
      }, name);
    }
    // Electron implements no window.prompt.
    await page.addInitScript(() => {
      window.prompt = () => {
        throw new Error('prompt() is and will not be supported.');
      };
    });
    page.on('popup', (p) => void p.close());
    page.on('close', () => this._closeNow());
    this.emit('ready-to-show');
  }
  async loadFile(file) {
    await this._ready;
    await this._page.goto(pathToFileURL(file).href);
    this.webContents.emit('did-finish-load');
  }
  async loadURL(url) {
    await this._ready;
    await this._page.goto(url);
  }
  show() {}
  maximize() {}
  isMaximized() {
    return false;
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 1440, height: 920 };
  }
  close() {
    const event = preventable();
    this.emit('close', event);
    if (!event.defaultPrevented) this._closeNow();
  }
  _closeNow() {
    if (this._closed) return;
    this._closed = true;
    windows.delete(this);
    void this._page?.close().catch(() => undefined);
    this.emit('closed');
    if (windows.size === 0) app.emit('window-all-closed');
  }
}

// ---- app ----
class App extends EventEmitter {
  constructor() {
    super();
    this._ready = false;
    this._readyPromise = browserContext().then(() => {
      this._ready = true;
      this.emit('ready');
    });
    this.isPackaged = false;
  }
  whenReady() {
    return this._readyPromise;
  }
  isReady() {
    return this._ready;
  }
  getPath(name) {
    return join(env.STANDIN_USER_DATA || tmpdir(), name === 'userData' ? '' : name);
  }
  getVersion() {
    return '0.1.0';
  }
  quit() {
    const event = preventable();
    this.emit('before-quit', event);
    log({ type: 'before-quit', prevented: event.defaultPrevented });
    if (event.defaultPrevented) return;
    for (const w of [...windows]) {
      const e = preventable();
      w.emit('close', e);
      if (e.defaultPrevented) return;
      w._closeNow();
    }
    this.emit('will-quit', { preventDefault() {} });
    void this.exit(0);
  }
  async exit(code = 0) {
    log({ type: 'exit', code });
    this.emit('quit');
    try {
      await (await contextPromise)?.close();
    } finally {
      process.exit(code);
    }
  }
}
const app = new App();

// The test asks for a quit the way a user does (File ▸ Quit).
process.on('message', (m) => {
  if (m?.type === 'quit') app.quit();
});

// ---- dialogs, menus, sessions, shell ----
const pick = (kind, options) => {
  const a = answers();
  log({
    type: 'dialog',
    kind,
    title: options?.title,
    message: options?.message,
    answer: a[kind] ?? null,
  });
  return a[kind];
};
const lastArg = (args) => (args.length > 1 ? args[1] : args[0]);
const dialog = {
  async showOpenDialog(...args) {
    const path = pick('open', lastArg(args));
    return path ? { canceled: false, filePaths: [path] } : { canceled: true, filePaths: [] };
  },
  async showSaveDialog(...args) {
    const path = pick('save', lastArg(args));
    return path ? { canceled: false, filePath: path } : { canceled: true, filePath: '' };
  },
  async showMessageBox(...args) {
    const response = pick('messageBox', lastArg(args)) ?? 0;
    return { response, checkboxChecked: false };
  },
  showErrorBox(title, content) {
    log({ type: 'dialog', kind: 'error', title, message: content });
  },
};
let applicationMenu = null;
const Menu = {
  buildFromTemplate: (template) => ({ items: template }),
  setApplicationMenu: (menu) => {
    applicationMenu = menu;
  },
  getApplicationMenu: () => applicationMenu,
};
const permissions = {};
const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: (fn) => (permissions.headers = fn) },
    setPermissionRequestHandler: (fn) => (permissions.request = fn),
    setPermissionCheckHandler: (fn) => (permissions.check = fn),
    setDevicePermissionHandler: (fn) => (permissions.device = fn),
  },
};
const shell = {
  async openExternal(url) {
    log({ type: 'openExternal', url });
  },
  showItemInFolder(path) {
    log({ type: 'showItemInFolder', path });
  },
};

// utilityProcess.fork as a Node child (the export child answers through process.send here and
// through process.parentPort in Electron).
const utilityProcess = {
  fork(modulePath, args = []) {
    const { fork } = require('node:child_process');
    const { EventEmitter } = require('node:events');
    const child = fork(modulePath, args, { serialization: 'advanced' });
    const events = new EventEmitter();
    child.on('message', (m) => events.emit('message', m));
    child.on('exit', (code) => events.emit('exit', code ?? 1));
    log({ type: 'utilityProcess', modulePath });
    return {
      postMessage: (m) => child.send(m),
      on: (event, listener) => events.on(event, listener),
      kill: () => child.kill('SIGKILL'),
    };
  },
};

module.exports = {
  utilityProcess,
  app,
  BrowserWindow,
  contextBridge,
  dialog,
  ipcMain,
  ipcRenderer: ipcRendererProxy,
  Menu,
  session,
  shell,
};
