// Native code that can abort its process (resvg's Rust panics, pdfkit's dependencies) runs in a
// child process, never in a worker thread: an abort there ends the child and becomes an error
// naming what it was doing, while the app and its running jobs go on (issue 30.1). Children are
// queued in a small pool (issue 32.6): a flood of exports waits its turn instead of starting a
// process per request.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { AppError, fromEnvelope, toEnvelope, type ErrorEnvelope } from '../../src-shared/errors';
import { componentLog } from '../logging';

/** What the parent sees of a child: messages in and out, its exit, and a kill. */
export interface ChildHandle {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): void;
  on(event: 'exit', listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

/** Starts a child on a built module (the Electron shell plugs in `utilityProcess` here). */
export type ChildSpawner = (modulePath: string) => ChildHandle;

/** Plain Node: `fork` (tsx for TypeScript); structured clone keeps NaN and typed arrays. */
export const nodeSpawner: ChildSpawner = (modulePath) => {
  const ts = modulePath.endsWith('.ts');
  const entry = ts
    ? fileURLToPath(new URL('./ts-worker-bootstrap.cjs', import.meta.url))
    : modulePath;
  const child = fork(entry, ts ? [modulePath] : [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  const events = new EventEmitter();
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  child.on('message', (m) => events.emit('message', m));
  child.on('exit', (code, signal) => {
    if (code !== 0 && stderr) componentLog('export').error({ stderr }, 'child process stderr');
    events.emit('exit', code, signal);
  });
  child.on('error', () => events.emit('exit', null, 'spawn-error'));
  return {
    postMessage: (m) => child.send(m as never),
    on: (event: string, listener: (...args: unknown[]) => void) => events.on(event, listener),
    kill: () => child.kill('SIGKILL'),
  } as ChildHandle;
};

let spawner: ChildSpawner = nodeSpawner;
/** Use another way of starting children (the desktop shell: Electron's utilityProcess). */
export function setChildSpawner(next: ChildSpawner): void {
  spawner = next;
}

/** Messages a child sends: what it is doing now, then one reply. */
export type ChildMessage<Res> =
  { readonly doing: string } | { readonly reply: Res } | { readonly error: ErrorEnvelope };

/** Children running at once (2 cores here); the rest wait in order. */
const POOL_SIZE = 2;
let running = 0;
const waiting: Array<() => void> = [];

function acquire(signal?: AbortSignal): Promise<void> {
  if (running < POOL_SIZE) {
    running++;
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const go = () => {
      signal?.removeEventListener('abort', drop);
      running++;
      resolve();
    };
    const drop = () => {
      const i = waiting.indexOf(go);
      if (i >= 0) waiting.splice(i, 1);
      reject(new AppError('cancelled', 'The task was cancelled before it started'));
    };
    signal?.addEventListener('abort', drop, { once: true });
    waiting.push(go);
  });
}

function release(): void {
  running--;
  waiting.shift()?.();
}

/** How many children run and wait now (tests, the load report). */
export const isolatedLoad = () => ({ running, waiting: waiting.length });

/**
 * Run a module of src-main/jobs in a child process for one request: its reply, its AppError
 * (code kept), or — when the child dies — an error naming what it was doing. Aborting `signal`
 * kills the child at once (`cancelled`).
 */
export async function runIsolated<Req, Res>(
  moduleUrl: URL,
  request: Req,
  options: { signal?: AbortSignal; what: string },
): Promise<Res> {
  const { signal, what } = options;
  if (signal?.aborted) throw new AppError('cancelled', 'The task was cancelled');
  await acquire(signal);
  try {
    return await new Promise<Res>((resolve, reject) => {
      const child = spawner(fileURLToPath(moduleUrl));
      let doing = 'starting';
      let settled = false;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', abort);
        child.kill();
        f();
      };
      const abort = () =>
        settle(() =>
          reject(new AppError('cancelled', 'The task was cancelled before it finished')),
        );
      signal?.addEventListener('abort', abort, { once: true });
      child.on('message', (raw) => {
        const m = raw as ChildMessage<Res>;
        if ('doing' in m) doing = m.doing;
        else if ('reply' in m) settle(() => resolve(m.reply));
        else if ('error' in m) settle(() => reject(fromEnvelope(m.error)));
      });
      child.on('exit', (code, sig) =>
        settle(() => {
          const how = sig ? `was stopped by ${sig}` : `exited with code ${code}`;
          componentLog('export').error({ what, doing, code, signal: sig }, 'child process died');
          reject(
            new AppError(
              'export-failed',
              `${what}: the renderer process ${how} while ${doing}; the app goes on (details in the log)`,
            ),
          );
        }),
      );
      child.postMessage(request);
    });
  } finally {
    release();
  }
}

/**
 * The child's side: answer one request, telling the parent what it is doing as it goes. Works
 * under Node's fork (process.send) and Electron's utilityProcess (process.parentPort).
 */
export function serveOneRequest<Req, Res>(
  handle: (request: Req, doing: (what: string) => void) => Promise<Res>,
): void {
  const electronPort = (
    process as unknown as {
      parentPort?: {
        once(e: 'message', l: (e: { data: unknown }) => void): void;
        postMessage(m: unknown): void;
      };
    }
  ).parentPort;
  const send = (m: ChildMessage<Res>) =>
    electronPort ? electronPort.postMessage(m) : process.send?.(m);
  const answer = (request: Req) => {
    handle(request, (doing) => send({ doing }))
      .then((reply) => send({ reply }))
      // an error without a code is still the export's: it failed, and says how
      .catch((err: unknown) => send({ error: toEnvelope(err, 'export-failed') }));
  };
  if (electronPort) electronPort.once('message', (e) => answer(e.data as Req));
  else process.once('message', (m) => answer(m as Req));
}
