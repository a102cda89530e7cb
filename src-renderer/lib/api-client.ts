import {
  ApiError,
  EVENT_NAMES,
  type ApiClient,
  type ApiEvents,
  type Channel,
  type Envelope,
  type EventName,
  type RequestOf,
  type ResponseOf,
} from '../../src-shared/api/contract';

/** What the preload exposes in Electron (contextBridge). */
interface IpcBridge {
  invoke(channel: Channel, request: unknown): Promise<Envelope<unknown>>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    lagrangeIpc?: IpcBridge;
  }
}

function unwrap<T>(envelope: Envelope<unknown>): T {
  if (envelope.ok) return envelope.value as T;
  const e = envelope.error;
  throw new ApiError(e.code, e.message, e.position, e.fields);
}

/** Electron: the contract over IPC through the preload bridge. */
export function ipcClient(bridge: IpcBridge): ApiClient {
  return {
    transport: 'ipc',
    async invoke<C extends Channel>(channel: C, request: RequestOf<C>) {
      return unwrap<ResponseOf<C>>(await bridge.invoke(channel, request));
    },
    on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
      return bridge.on(event, listener as (p: unknown) => void);
    },
  };
}

/** What the browser UI says when its server stops answering. */
export const SERVER_GONE =
  'The Lagrange Studio server is not answering: it has stopped or restarted. Start it again ' +
  '(npm run serve) and reload this page; runs saved in the project are kept.';

/** Browser (npm run serve): the contract over the loopback HTTP bridge with the launch token. */
export function httpClient(origin: string, token: string): ApiClient {
  let source: EventSource | null = null;
  const listeners = new Map<EventName, Set<(p: never) => void>>();
  const ensureSource = () => {
    if (source) return;
    source = new EventSource(`${origin}/api/events?token=${encodeURIComponent(token)}`);
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (e) => {
        const payload = JSON.parse((e as MessageEvent<string>).data) as unknown;
        for (const l of listeners.get(name) ?? []) (l as (p: unknown) => void)(payload);
      });
    }
  };
  return {
    transport: 'http',
    async invoke<C extends Channel>(channel: C, request: RequestOf<C>) {
      let res: Response;
      try {
        res = await fetch(`${origin}/api/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-lagrange-token': token },
          body: JSON.stringify(request),
        });
      } catch {
        // the browser's "Failed to fetch": nothing answers at the server's address
        throw new ApiError('unavailable', SERVER_GONE);
      }
      if (res.status === 401)
        throw new ApiError(
          'unauthorized',
          'The session token is missing or wrong: open the address printed by npm run serve',
        );
      return unwrap<ResponseOf<C>>((await res.json()) as Envelope<unknown>);
    },
    upload: (file, name, { onProgress, signal } = {}) => {
      // XMLHttpRequest, not fetch: it reports the upload's progress and aborts cleanly
      return new Promise((resolveUpload, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `${origin}/upload/measured-csv`);
        xhr.setRequestHeader('x-lagrange-token', token);
        xhr.setRequestHeader('x-file-name', encodeURIComponent(name));
        xhr.upload.onprogress = (e) => {
          if (e.lengthComputable) onProgress?.(e.loaded / e.total);
        };
        xhr.onload = () => {
          try {
            resolveUpload(
              unwrap<{ path: string; bytes: number }>(
                JSON.parse(xhr.responseText) as Envelope<unknown>,
              ),
            );
          } catch (err) {
            reject(err instanceof ApiError ? err : new ApiError('internal', xhr.statusText));
          }
        };
        xhr.onerror = () => reject(new ApiError('unavailable', SERVER_GONE));
        xhr.onabort = () =>
          reject(new ApiError('cancelled', `The upload of ${name} was cancelled`));
        signal?.addEventListener('abort', () => xhr.abort(), { once: true });
        xhr.send(file);
      });
    },
    on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
      ensureSource();
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}

/** The client for wherever the UI runs: IPC inside Electron, HTTP in a browser. */
export function createApiClient(): ApiClient {
  if (window.lagrangeIpc) return ipcClient(window.lagrangeIpc);
  const params = new URLSearchParams(location.search);
  const token = params.get('token') ?? sessionStorage.getItem('lagrange-token') ?? '';
  if (params.get('token')) {
    sessionStorage.setItem('lagrange-token', token);
    history.replaceState(null, '', location.pathname);
  }
  return httpClient(location.origin, token);
}
