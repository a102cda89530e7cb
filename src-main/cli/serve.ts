// npm run serve — the studio in a browser: the same API contract over a loopback HTTP bridge
// (the UI of a headless workstation, reached through an SSH tunnel).
import { COMMAND_SUMMARIES } from './command-list';
import { componentLog, logFile } from '../logging';
import { existsSync } from 'node:fs';
import {
  numberOption,
  runCommand,
  stringOption,
  type Command,
  type ParsedArgs,
  exitAfterOutput,
} from './args';
import { join, resolve } from 'node:path';
import { createHandlers } from '../api/handlers';
import { startHttpBridge } from '../api/http';
import { ProjectSession } from '../api/session';
import { appRoot } from '../app-root';
import { describeOwner, ProjectLockedError } from '../store/owner-lock';
import { initBackend } from '../engine/backend';

export const serveCommand: Command = {
  name: 'serve',
  summary: COMMAND_SUMMARIES.serve,
  positionals: '',
  options: {
    project: {
      type: 'string',
      value: 'FILE',
      help: 'project to open (default: lagrange-studio.lsproj here)',
    },
    port: { type: 'string', value: 'N', help: 'loopback port (default: any free one)' },
    ui: { type: 'string', value: 'DIR', help: 'built UI (default: out/renderer)' },
  },
  run: serve,
};

async function serve(args: ParsedArgs): Promise<number> {
  const arg = (name: string) => stringOption(args, name.replace(/^--/, ''));
  const port = numberOption(args, 'port', 0, { integer: true, min: 0, max: 65535 });
  const staticDir = resolve(arg('--ui') ?? join(appRoot(), 'out/renderer'));
  if (!existsSync(join(staticDir, 'index.html'))) {
    console.error(`No built UI at ${staticDir}: run npm run build first (npm run serve does it).`);
    return 1;
  }
  const backend = await initBackend();
  console.log(backend.summary);
  const session = new ProjectSession();
  // A project to start with: --project FILE, else lagrange-studio.lsproj in this folder.
  const project = resolve(arg('--project') ?? 'lagrange-studio.lsproj');
  try {
    const store = await session.open(project, true);
    console.log(
      `project: ${project}${store.readOnlyReason ? ` (read-only: ${store.readOnlyReason})` : ''}`,
    );
  } catch (err) {
    // Another process writes it (the study CLI, the desktop app): watch it read-only.
    if (!(err instanceof ProjectLockedError)) throw err;
    await session.open(project, false, true);
    console.log(`project: ${project} (read-only: ${describeOwner(err.owner)} writes it)`);
  }
  const bridge = await startHttpBridge({
    handlers: createHandlers(session, 'http'),
    events: session,
    uploadFolder: () => session.uploadFolder(),
    staticDir,
    port,
    ...(process.env.LAGRANGE_TOKEN ? { token: process.env.LAGRANGE_TOKEN } : {}),
  });
  console.log(`Lagrange Studio is at ${bridge.url}`);
  console.log(`log: ${logFile()}`);
  componentLog('app').info({ port: new URL(bridge.url).port, backend: backend.active }, 'serving');
  console.log(
    'Loopback only; the token in the address is required for every API call. Ctrl+C stops.',
  );
  // Stop: running jobs end at their next checkpoint as 'interrupted' (resumable); a second
  // signal stops them at once, keeping their last periodic checkpoints.
  let stopping = false;
  const stop = async () => {
    if (stopping) {
      session.queue?.closeNow();
      process.exit(130);
    }
    stopping = true;
    const n = session.activeRuns;
    if (n > 0)
      console.log(
        `${n} run${n === 1 ? ' is' : 's are'} training: stopping ${n === 1 ? 'it' : 'them'} at the next checkpoint (resumable). Ctrl+C again stops at once.`,
      );
    await bridge.close();
    await session.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  return new Promise<number>(() => undefined); // runs until a signal stops it
}

if (process.argv[1] && /serve\.(ts|js)$/.test(process.argv[1]))
  void runCommand(serveCommand, process.argv.slice(2)).then(exitAfterOutput);
