import type { BackendReport } from './backend';

export interface AppInfo {
  readonly version: string;
  /** Node, and inside Electron also Electron and Chromium. */
  readonly versions: Record<string, string>;
  readonly backend: BackendReport;
  readonly project: ProjectInfo | null;
  readonly transport: 'ipc' | 'http';
}

export interface ProjectInfo {
  readonly path: string;
  readonly runCount: number;
  /** Opened read-only (another process writes it, or by request): nothing can change. */
  readonly readOnly: boolean;
  /** Why, when the app chose it (e.g. "the file is read-only"); null when asked for. */
  readonly readOnlyReason?: string | null;
}
