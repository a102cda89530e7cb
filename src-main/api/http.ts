import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  EVENT_NAMES,
  isChannel,
  type ApiHandlers,
  type Envelope,
} from '../../src-shared/api/contract';
import type { ApiEventSource } from './session';
import { dispatch } from './handlers';
import { receiveUpload } from './upload';
import { toEnvelope } from '../../src-shared/errors';

export interface HttpBridgeOptions {
  readonly handlers: ApiHandlers;
  /** Source of the contract's events (the project session). */
  readonly events: ApiEventSource;
  /** The built renderer (served without the token: it holds no secret). */
  readonly staticDir?: string;
  readonly port?: number;
  /** Per-launch secret; generated when absent. */
  readonly token?: string;
  /** Where uploaded measured-data files go (beside the open project), null with none open. */
  readonly uploadFolder?: () => string | null;
}

export interface HttpBridge {
  readonly server: Server;
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};
const MAX_BODY = 32 * 2 ** 20;
/** Event streams open at once (browser tabs): each holds one listener per event name. */
export const MAX_EVENT_STREAMS = 64;

const isLoopback = (addr: string | undefined) =>
  !!addr && (addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.'));

/**
 * The contract over loopback HTTP for `npm run serve`: POST /api/<channel> with the token in
 * `x-lagrange-token`, events as server-sent events at /api/events?token=…. Bound to 127.0.0.1;
 * requests from elsewhere, or naming another host (DNS rebinding), are refused.
 */
/* eslint-disable-next-line max-lines-per-function --
   the routes close over the server's token, port and open streams; each route is a function
   inside */
export async function startHttpBridge(options: HttpBridgeOptions): Promise<HttpBridge> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const tokenBuf = Buffer.from(token);
  const tokenOk = (t: string | null | undefined) => {
    if (!t) return false;
    const b = Buffer.from(t);
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf);
  };
  let port = 0;
  let openStreams = 0;
  const server = createServer((req, res) => {
    void handle(req, res).catch((err) => send(res, 500, { ok: false, error: toEnvelope(err) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!isLoopback(req.socket.remoteAddress))
      return send(res, 403, {
        ok: false,
        error: { code: 'forbidden', message: 'only loopback clients' },
      });
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
      return send(res, 403, {
        ok: false,
        error: { code: 'forbidden', message: `unexpected Host header "${host}"` },
      });
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/api/events') {
      if (!tokenOk(url.searchParams.get('token')))
        return send(res, 401, {
          ok: false,
          error: { code: 'unauthorized', message: 'missing or wrong token' },
        });
      return events(req, res);
    }
    if (url.pathname === '/upload/measured-csv') {
      if (!refused(req, res)) await upload(req, res);
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (refused(req, res)) return;
      const channel = decodePath(url.pathname.slice('/api/'.length));
      if (channel === null) return badPath(res, url.pathname);
      if (!isChannel(channel))
        return send(res, 404, {
          ok: false,
          error: { code: 'unknown-channel', message: `unknown channel ${channel}` },
        });
      const text = await readBody(req);
      if (text === null)
        return send(res, 413, {
          ok: false,
          error: {
            code: 'too-large',
            message: `the request body is over ${MAX_BODY / 2 ** 20} MiB`,
          },
        });
      let body: unknown;
      try {
        body = JSON.parse(text || '{}');
      } catch (err) {
        return send(res, 400, {
          ok: false,
          error: {
            code: 'invalid-request',
            message: `the body is not JSON: ${(err as Error).message}`,
          },
        });
      }
      return send(res, 200, await dispatch(options.handlers, channel, body));
    }
    return serveStatic(url.pathname, res);
  }

  /** True when the request is refused (answered 401 without the token, 405 unless a POST). */
  function refused(req: IncomingMessage, res: ServerResponse): boolean {
    if (!tokenOk(req.headers['x-lagrange-token'] as string | undefined))
      send(res, 401, {
        ok: false,
        error: { code: 'unauthorized', message: 'missing or wrong token' },
      });
    else if (req.method !== 'POST')
      send(res, 405, { ok: false, error: { code: 'method', message: 'use POST' } });
    else return false;
    return true;
  }

  /**
   * POST /upload/measured-csv with the token and the file's name in `x-file-name`: the body is
   * streamed to a file beside the project; the reply names its path on this machine.
   */
  async function upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const folder = options.uploadFolder?.() ?? null;
    if (!folder) {
      req.resume();
      return send(res, 409, {
        ok: false,
        error: { code: 'no-project', message: 'Open a project first: uploads are kept beside it' },
      });
    }
    let name = 'upload.csv';
    try {
      name = decodeURIComponent(String(req.headers['x-file-name'] ?? name));
    } catch {
      // a malformed name: the default one
    }
    try {
      const { path, bytes } = await receiveUpload(req, folder, name);
      return send(res, 200, { ok: true, value: { path, bytes } });
    } catch (err) {
      const error = toEnvelope(err);
      if (!res.headersSent && !res.destroyed)
        send(res, error.code === 'too-large' ? 413 : 400, { ok: false, error });
      // the rest of an oversized body is not read: the connection goes
      req.destroy();
    }
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    // A bound on open streams (each holds listeners and a socket): a flood is refused in words.
    if (openStreams >= MAX_EVENT_STREAMS)
      return send(res, 503, {
        ok: false,
        error: {
          code: 'unavailable',
          message: `${MAX_EVENT_STREAMS} event streams are open already: close a browser tab`,
        },
      });
    openStreams++;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsubscribe = EVENT_NAMES.map((name) =>
      options.events.subscribe(name, (payload) =>
        res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`),
      ),
    );
    const ping = setInterval(() => res.write(': ping\n\n'), 15000);
    // the response's close: the connection went (the request's may come as soon as it is read)
    res.on('close', () => {
      openStreams--;
      clearInterval(ping);
      for (const u of unsubscribe) u();
    });
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    if (!options.staticDir)
      return send(res, 404, {
        ok: false,
        error: { code: 'not-found', message: 'no UI is built: run npm run build' },
      });
    const root = resolve(options.staticDir);
    const decoded = decodePath(pathname);
    if (decoded === null) return badPath(res, pathname);
    const file = normalize(join(root, pathname === '/' ? 'index.html' : decoded));
    if (!file.startsWith(root + sep) && file !== root)
      return send(res, 403, {
        ok: false,
        error: { code: 'forbidden', message: 'outside the UI folder' },
      });
    try {
      const content = await readFile(file);
      res.writeHead(200, {
        'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
      });
      res.end(content);
    } catch {
      send(res, 404, { ok: false, error: { code: 'not-found', message: `${pathname} not found` } });
    }
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function send(res: ServerResponse, status: number, body: Envelope<unknown>): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A percent-decoded path, or null when its escapes are malformed (e.g. "%E0%A4%A"). */
function decodePath(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function badPath(res: ServerResponse, path: string): void {
  send(res, 400, {
    ok: false,
    error: { code: 'bad-path', message: `malformed %-escape in ${path.slice(0, 200)}` },
  });
}

/**
 * The body as text, or null when it is over MAX_BODY: the rest is read and dropped (not a
 * connection reset), so the client gets its 413 answer.
 */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () =>
      resolveBody(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}
