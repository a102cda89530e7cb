// Electron's security checklist, as pure functions the shell applies and tests can call:
// exact-origin checks for navigation and IPC senders, an allowlist for external links, and a
// permission policy that denies everything the app does not use (it uses nothing).
import { pathToFileURL } from 'node:url';
import type { Session } from 'electron';

/** Hosts whose https links open in the system browser; any other link is dropped. */
export const EXTERNAL_HOSTS: readonly string[] = [
  'github.com',
  'doi.org',
  'arxiv.org',
  'www.electronjs.org',
];

/**
 * The app's own page, exactly: in development the dev server's origin (scheme, host and port
 * all equal: `http://localhost:5173.evil.example` is another origin), otherwise the one
 * renderer file (query and fragment ignored).
 */
export function trustedUrlCheck(
  rendererUrl: string | undefined,
  rendererFile: string,
): (url: string) => boolean {
  if (rendererUrl) {
    const origin = new URL(rendererUrl).origin;
    return (url) => parse(url)?.origin === origin;
  }
  const file = pathToFileURL(rendererFile).href;
  return (url) => {
    const u = parse(url);
    return u?.protocol === 'file:' && `${u.protocol}//${u.host}${u.pathname}` === file;
  };
}

/** https links to an allowlisted host only (no credentials, no other port). */
export function isAllowedExternal(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  const u = parse(url);
  return (
    !!u &&
    u.protocol === 'https:' &&
    u.port === '' &&
    u.username === '' &&
    u.password === '' &&
    hosts.includes(u.hostname)
  );
}

/** The app asks for no permission (camera, notifications, clipboard-read, …): deny them all. */
export function denyAllPermissions(
  session: Pick<
    Session,
    'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
  >,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
