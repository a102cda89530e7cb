/*
 * Saving an exported file: in Electron through the native save dialog (the main process writes
 * it), in the browser as a download. `useApi` is called once by App with the studio's client.
 */
import type { ApiClient, PathPurpose } from '../../src-shared/api/contract';

let client: ApiClient | null = null;
/** Told after each save: the path (desktop) or the file name (browser). */
let onNotice: (text: string) => void = () => undefined;

export function useApi(api: ApiClient, onSaved: (text: string) => void): void {
  client = api;
  onNotice = onSaved;
}

/** Show a short notice (the app's toast): where files went. */
export function notify(text: string): void {
  onNotice(text);
}

/** Save `blob` as `name`; resolves when written (desktop) or handed to the browser. */
export async function saveFile(name: string, blob: Blob): Promise<void> {
  if (client?.transport === 'ipc') {
    const text = blob.type.startsWith('image/png') ? null : await blob.text();
    const saved = await client.invoke('file:save', {
      name,
      data: text ?? toBase64(new Uint8Array(await blob.arrayBuffer())),
      encoding: text === null ? 'base64' : 'utf8',
    });
    if (saved) notify(`saved ${saved.path}`);
    return;
  }
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.dataset.testid = 'download-link';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  notify(`downloaded ${name}`);
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** True in Electron, where native path dialogs exist. */
export function hasNativeDialogs(): boolean {
  return client?.transport === 'ipc';
}

/** A path from the native dialog (Electron); null when cancelled or in the browser. */
export async function choosePath(purpose: PathPurpose, defaultPath = ''): Promise<string | null> {
  if (client?.transport !== 'ipc') return null;
  return client.invoke('dialog:choose', { purpose, ...(defaultPath ? { defaultPath } : {}) });
}

/**
 * Run an export and say where its files went: a toast and the returned line ("wrote 12 files to
 * …"), or the error's message.
 */
export async function reportExport(
  write: () => Promise<{ files: string[]; dir: string; skipped?: string[] }>,
): Promise<string> {
  try {
    const r = await write();
    const skipped = r.skipped?.length ? `; left out (damaged): ${r.skipped.join('; ')}` : '';
    const message = `wrote ${r.files.length} files to ${r.dir}${skipped}`;
    notify(message);
    return message;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Why an export cannot start yet ('' when it can): the reason its disabled button gives. */
export function exportProblem(dir: string, formats: number, runs: number): string {
  if (!dir.trim()) return 'Choose a folder first';
  if (formats === 0) return 'Tick at least one format';
  if (runs === 0) return 'No run to export';
  return '';
}
