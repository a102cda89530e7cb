// Issue 30.14: the browser UI uploads a measured CSV (it cannot name a path on the server):
// streamed beside the project, bounded, and nothing left behind when cancelled or too large.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src-main/api/handlers';
import { startHttpBridge, type HttpBridge } from '../../src-main/api/http';
import { ProjectSession } from '../../src-main/api/session';
import { safeUploadName } from '../../src-main/api/upload';

let dir: string;
let session: ProjectSession;
let bridge: HttpBridge;
const uploads = () => join(dir, 'p-uploads');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lagrange-upload-'));
  session = new ProjectSession();
  await session.open(join(dir, 'p.lsproj'), true);
  bridge = await startHttpBridge({
    handlers: createHandlers(session, 'http'),
    events: session,
    uploadFolder: () => session.uploadFolder(),
  });
});
afterAll(async () => {
  delete process.env.LAGRANGE_MAX_MEASURED_BYTES;
  await bridge.close();
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

/** POST a body (or stream parts of it, then abort) to the upload route. */
function post(
  body: Buffer,
  headers: Record<string, string>,
  abortAfter?: number,
): Promise<{
  status: number;
  json: { ok: boolean; value?: { path: string }; error?: { message: string } };
}> {
  const url = new URL('/upload/measured-csv', bridge.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'x-lagrange-token': bridge.token, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
      },
    );
    req.on('error', (e) =>
      abortAfter === undefined ? reject(e) : resolve({ status: 0, json: { ok: false } }),
    );
    if (abortAfter === undefined) req.end(body);
    else {
      req.write(body.subarray(0, abortAfter));
      setTimeout(() => req.destroy(), 100);
    }
  });
}

describe('measured-data upload', () => {
  it('streams the file beside the project and answers its path', async () => {
    const csv = Buffer.from('t,q0\n0,0.1\n0.01,0.2\n');
    const { status, json } = await post(csv, {
      'x-file-name': encodeURIComponent('run 7 (é).csv'),
    });
    expect(status).toBe(200);
    expect(json.value!.path.startsWith(uploads())).toBe(true);
    expect(json.value!.path).toMatch(/-run_7____\.csv$/);
    expect(readFileSync(json.value!.path)).toEqual(csv);
  });

  it('names never leave the folder: separators and dots are neutralised', () => {
    expect(safeUploadName('../../etc/passwd')).toBe('passwd');
    expect(safeUploadName('..\\..\\x.csv')).toBe('x.csv');
    expect(safeUploadName('...')).toBe('upload.csv');
  });

  it('refuses a wrong token and a file over the limit, leaving nothing', async () => {
    const before = readdirSync(uploads()).length;
    const refused = await post(Buffer.from('x'), { 'x-lagrange-token': 'wrong' });
    expect(refused.status).toBe(401);
    process.env.LAGRANGE_MAX_MEASURED_BYTES = String(1 << 16);
    const big = await post(Buffer.alloc(1 << 18, 0x31), { 'x-file-name': 'big.csv' });
    delete process.env.LAGRANGE_MAX_MEASURED_BYTES;
    expect(big.status).toBe(413);
    expect(big.json.error!.message).toMatch(/over 64 KiB/);
    await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(uploads()).length).toBe(before);
  });

  it('an upload cut off part-way (Cancel) leaves no file', async () => {
    const before = readdirSync(uploads()).length;
    await post(
      Buffer.alloc(1 << 20, 0x32),
      { 'x-file-name': 'cut.csv', 'content-length': String(4 << 20) },
      1 << 20,
    );
    await expect.poll(() => readdirSync(uploads()).length, { timeout: 5000 }).toBe(before);
    expect(readdirSync(uploads()).some((f) => f.endsWith('cut.csv'))).toBe(false);
  });

  it('with no project open there is nowhere to put it: said in words', async () => {
    const lone = await startHttpBridge({
      handlers: createHandlers(new ProjectSession(), 'http'),
      events: new ProjectSession(),
      uploadFolder: () => null,
    });
    try {
      const url = new URL('/upload/measured-csv', lone.url);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'x-lagrange-token': lone.token },
        body: 'a',
      });
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /Open a project/,
      );
    } finally {
      await lone.close();
    }
    expect(existsSync(uploads())).toBe(true);
  });
});
