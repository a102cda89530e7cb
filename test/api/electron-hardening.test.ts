import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY, mainWindowOptions } from '../../src-main/shell/window-options';
import {
  denyAllPermissions,
  isAllowedExternal,
  trustedUrlCheck,
} from '../../src-main/shell/hardening';
import { bindIpc } from '../../src-main/shell/ipc';
import { IPC_INVOKE } from '../../src-shared/api/ipc-names';
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
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(directives['form-action']).toEqual(["'none'"]);
    // one CSP: the renderer's meta policy is the header's, word for word
    const html = readFileSync(join(__dirname, '../../src-renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
  });

  it('the main file blocks navigation and new windows and serves the CSP header', () => {
    const main = readFileSync(join(__dirname, '../../src-main/index.ts'), 'utf8');
    expect(main).toMatch(/will-navigate[\s\S]*preventDefault/);
    expect(main).toMatch(/'will-redirect'/);
    expect(main).toMatch(/'will-frame-navigate'/);
    expect(main).toMatch(/denyAllPermissions\(defaultSession\)/);
    expect(main).toMatch(/isAllowedExternal\(url\)\) void shell\.openExternal/);
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

  it('trusts exactly the app’s origin: a look-alike host or another file is foreign', () => {
    const dev = trustedUrlCheck('http://localhost:5173/', '/app/out/renderer/index.html');
    expect(dev('http://localhost:5173/')).toBe(true);
    expect(dev('http://localhost:5173/src/main.ts?x#y')).toBe(true);
    expect(dev('http://localhost:5173.evil.example/')).toBe(false);
    expect(dev('http://localhost:51730/')).toBe(false);
    expect(dev('https://localhost:5173/')).toBe(false);
    expect(dev('http://user@localhost:5173@evil.example/')).toBe(false);
    expect(dev('not a url')).toBe(false);
    const built = trustedUrlCheck(undefined, '/app/out/renderer/index.html');
    expect(built('file:///app/out/renderer/index.html')).toBe(true);
    expect(built('file:///app/out/renderer/index.html#/run/3')).toBe(true);
    expect(built('file:///app/out/renderer/index.html.evil')).toBe(false);
    expect(built('file:///etc/passwd')).toBe(false);
    expect(built('file:///app/out/renderer/')).toBe(false);
  });

  it('opens only allowlisted https links externally', () => {
    expect(isAllowedExternal('https://doi.org/10.1103/PhysRevLett.1')).toBe(true);
    expect(isAllowedExternal('https://github.com/x/y')).toBe(true);
    for (const url of [
      'http://doi.org/x',
      'https://evil.example/',
      'https://doi.org.evil.example/',
      'https://doi.org:8443/',
      'https://user:pw@doi.org/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
    ])
      expect(isAllowedExternal(url), url).toBe(false);
  });

  it('denies every permission request and check', () => {
    const got: Record<string, unknown> = {};
    denyAllPermissions({
      setPermissionRequestHandler: (h: unknown) => (got.request = h),
      setPermissionCheckHandler: (h: unknown) => (got.check = h),
      setDevicePermissionHandler: (h: unknown) => (got.device = h),
    });
    const answers: boolean[] = [];
    (got.request as (c: unknown, p: string, cb: (ok: boolean) => void) => void)(
      null,
      'media',
      (ok) => answers.push(ok),
    );
    expect(answers).toEqual([false]);
    expect((got.check as () => boolean)()).toBe(false);
    expect((got.device as () => boolean)()).toBe(false);
  });

  it('the installer flips the Electron fuses', () => {
    const yml = readFileSync(join(__dirname, '../../electron-builder.yml'), 'utf8');
    for (const [fuse, value] of [
      ['runAsNode', 'false'],
      ['enableNodeOptionsEnvironmentVariable', 'false'],
      ['enableNodeCliInspectArguments', 'false'],
      ['enableEmbeddedAsarIntegrityValidation', 'true'],
      ['onlyLoadAppFromAsar', 'true'],
    ])
      expect(yml).toMatch(new RegExp(`^  ${fuse}: ${value}$`, 'm'));
  });
});
