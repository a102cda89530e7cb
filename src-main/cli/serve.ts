// npm run serve — the studio in a browser: the same API contract over a loopback HTTP bridge
// (the UI of a headless workstation, reached through an SSH tunnel).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHandlers } from '../api/handlers';
import { startHttpBridge } from '../api/http';
import { ProjectSession } from '../api/session';
import { initBackend } from '../engine/backend';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const staticDir = resolve(arg('--ui') ?? join(process.cwd(), 'out/renderer'));
  if (!existsSync(join(staticDir, 'index.html'))) {
    console.error(`No built UI at ${staticDir}: run npm run build first (npm run serve does it).`);
    process.exit(1);
  }
  const backend = await initBackend();
  console.log(backend.summary);
  const session = new ProjectSession();
  // A project to start with: --project FILE, else lagrange-studio.lsproj in this folder.
  const project = resolve(arg('--project') ?? 'lagrange-studio.lsproj');
  await session.open(project, true);
  console.log(`project: ${project}`);
  const bridge = await startHttpBridge({
    handlers: createHandlers(session, 'http'),
    events: session,
    staticDir,
    port: Number(arg('--port') ?? 0),
    ...(process.env.LAGRANGE_TOKEN ? { token: process.env.LAGRANGE_TOKEN } : {}),
  });
  console.log(`Lagrange Studio is at ${bridge.url}`);
  console.log(
    'Loopback only; the token in the address is required for every API call. Ctrl+C stops.',
  );
  const stop = async () => {
    await bridge.close();
    await session.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
