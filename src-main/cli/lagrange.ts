// lagrange — the command line: study, sweep, serve, bench, merge, export. `lagrange --help`.
import { runCommand, type Command, exitAfterOutput } from './args';
import { COMMAND_SUMMARIES } from './command-list';

/**
 * Each command's module, loaded only when it runs: `lagrange study` never loads the bench, the
 * server or the exporters (a study's process starts about half a second sooner).
 */
const LOADERS: Readonly<Record<string, () => Promise<Command>>> = {
  study: async () => (await studyWithWorker()).studyCommand,
  sweep: async () => sweepCommand((await studyWithWorker()).studyCommand),
  serve: async () => (await import('./serve')).serveCommand,
  bench: async () => (await import('./bench')).benchCommand,
  merge: async () => (await import('./merge')).mergeCommand,
  export: async () => (await import('./export')).exportCommand,
};

/** The study command, its first study worker already loading the engine meanwhile. */
async function studyWithWorker() {
  (await import('../jobs/study-worker-spawn')).prestartStudyWorker();
  return import('./study');
}

/** A sweep is a study file with a `sweep` list: the same command, named for what it does. */
function sweepCommand(study: Command): Command {
  return {
    ...study,
    name: 'sweep',
    summary: COMMAND_SUMMARIES.sweep,
  };
}

/** The usage line of every command, from the summaries alone: --help loads no command. */
export function topUsage(): string {
  return [
    'usage: lagrange COMMAND [options]   (lagrange COMMAND --help for its options)',
    '',
    ...Object.keys(LOADERS).map(
      (name) => `  ${name.padEnd(8)} ${COMMAND_SUMMARIES[name as keyof typeof COMMAND_SUMMARIES]}`,
    ),
    '',
    'exit codes: 0 done, 1 the work failed, 2 the command line is wrong',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(topUsage());
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(LOADERS, name) ? LOADERS[name] : undefined;
  if (!load) {
    console.error(`lagrange: no command "${name}"\n\n${topUsage()}`);
    return 2;
  }
  return runCommand(await load(), rest);
}

if (process.argv[1] && /(lagrange|cli)\.(ts|js|cjs|mjs)$/.test(process.argv[1]))
  void main(process.argv.slice(2)).then(exitAfterOutput);
