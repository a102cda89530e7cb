import type { BackendReport } from './backend';

export interface AppInfo {
  readonly version: string;
  /** Node, and inside Electron also Electron and Chromium. */
  readonly versions: Record<string, string>;
  readonly backend: BackendReport;
  readonly project: ProjectInfo | null;
  readonly transport: 'ipc' | 'http';
  /** The server's home folder: typed relative paths and ~ mean folders under it. */
  readonly homeFolder?: string;
}

/** The absolute folder a typed path means on the server (as its userPath reads it). */
export function folderMeant(typed: string, home: string): string {
  const path = typed.trim();
  const sep = home.includes('\\') && !home.includes('/') ? '\\' : '/';
  const join = (a: string, b: string) => (b ? `${a.replace(/[\\/]+$/, '')}${sep}${b}` : a);
  if (path === '~') return home;
  if (/^~[\\/]/.test(path)) return join(home, path.slice(2));
  if (/^([a-zA-Z]:)?[\\/]/.test(path)) return path;
  return join(home, path);
}

export interface ProjectInfo {
  readonly path: string;
  readonly runCount: number;
  /** Opened read-only (another process writes it, or by request): nothing can change. */
  readonly readOnly: boolean;
  /** Why, when the app chose it (e.g. "the file is read-only"); null when asked for. */
  readonly readOnlyReason?: string | null;
}
