// lagrange — the command line: study, sweep, serve, bench, merge, export. `lagrange --help`.
import { runCommand, type Command } from './args';

/**
 * Each command's module, loaded only when it runs: `lagrange study` never loads the bench, the
 * server or the exporters (a study's process starts about half a second sooner).
 */
const LOADERS: Readonly<Record<string, () => Promise<Command>>> = {
  study: async () => (await import('./study')).studyCommand,
  sweep: async () => sweepCommand((await import('./study')).studyCommand),
  serve: async () => (await import('./serve')).serveCommand,
  bench: async () => (await import('./bench')).benchCommand,
  merge: async () => (await import('./merge')).mergeCommand,
  export: async () => (await import('./export')).exportCommand,
};

/** A sweep is a study file with a `sweep` list: the same command, named for what it does. */
function sweepCommand(study: Command): Command {
  return {
    ...study,
    name: 'sweep',
    summary:
      "Run every combination of a study's sweep (or one shard's share, --shard i/n, e.g. a Slurm array task); --out, --dataset-csv and --figures name folders.",
  };
}

export async function commands(): Promise<Command[]> {
  return Promise.all(Object.values(LOADERS).map((load) => load()));
}

export async function topUsage(): Promise<string> {
  return [
    'usage: lagrange COMMAND [options]   (lagrange COMMAND --help for its options)',
    '',
    ...(await commands()).map((c) => `  ${c.name.padEnd(8)} ${c.summary}`),
    '',
    'exit codes: 0 done, 1 the work failed, 2 the command line is wrong',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(await topUsage());
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(LOADERS, name) ? LOADERS[name] : undefined;
  if (!load) {
    console.error(`lagrange: no command "${name}"\n\n${await topUsage()}`);
    return 2;
  }
  return runCommand(await load(), rest);
}

if (process.argv[1] && /(lagrange|cli)\.(ts|js|cjs|mjs)$/.test(process.argv[1]))
  void main(process.argv.slice(2)).then((code) => process.exit(code));
