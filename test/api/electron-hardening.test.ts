import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY, mainWindowOptions } from '../../src-main/shell/window-options';
import { bindIpc, IPC_INVOKE } from '../../src-main/shell/ipc';
import { createHandlers } from '../../src-main/api/handlers';
import { ProjectSession } from '../../src-main/api/session';

describe('Electron hardening', () => {
  it('the main window isolates the page: context isolation, sandbox, no Node', () => {
    const web = mainWindowOptions('/app/preload.js').webPreferences!;
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.preload).toBe('/app/preload.js');
  });

  it("the Content Security Policy allows only the app's own scripts, no eval, no remote loads", () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    // the renderer's own meta CSP agrees on scripts
    const html = readFileSync(join(__dirname, '../../src-renderer/index.html'), 'utf8');
    expect(html).toMatch(/script-src 'self'/);
  });

  it('the main file blocks navigation and new windows and serves the CSP header', () => {
    const main = readFileSync(join(__dirname, '../../src-main/index.ts'), 'utf8');
    expect(main).toMatch(/will-navigate[\s\S]*preventDefault/);
    expect(main).toMatch(/setWindowOpenHandler[\s\S]*action: 'deny'/);
    expect(main).toMatch(/Content-Security-Policy/);
    expect(main).toMatch(/will-attach-webview[\s\S]*preventDefault/);
    expect(main).not.toMatch(/from '\.\/engine|from '\.\/store/);
  });

  it("IPC answers only the app's own page and only contract channels", async () => {
    let handler:
      ((event: unknown, channel: unknown, request: unknown) => Promise<unknown>) | undefined;
    const fakeIpc = {
      handle: (name: string, fn: typeof handler) => {
        expect(name).toBe(IPC_INVOKE);
        handler = fn;
      },
    };
    const session = new ProjectSession();
    bindIpc(
      fakeIpc as never,
      createHandlers(session, 'ipc'),
      (url) => url.startsWith('file:///app/'),
      session,
      () => null,
    );
    const from = (url: string) => ({ senderFrame: { url } });
    expect(await handler!(from('https://evil.example/'), 'presets:list', {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await handler!(from('file:///app/index.html'), 'shell:exec', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
    expect(await handler!(from('file:///app/index.html'), 'runs:get', { id: -1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    const ok = (await handler!(from('file:///app/index.html'), 'presets:list', {})) as {
      ok: boolean;
      value: unknown[];
    };
    expect(ok.ok).toBe(true);
    expect(ok.value.length).toBe(4);
  });
});
