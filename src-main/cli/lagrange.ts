// lagrange — the command line: study, sweep, serve, bench, merge, export. `lagrange --help`.
import { benchCommand } from './bench';
import { exportCommand } from './export';
import { mergeCommand } from './merge';
import { serveCommand } from './serve';
import { studyCommand } from './study';
import { runCommand, type Command } from './args';

/** A sweep is a study file with a `sweep` list: the same command, named for what it does. */
const sweepCommand: Command = {
  ...studyCommand,
  name: 'sweep',
  summary:
    "Run every combination of a study's sweep (or one shard's share, --shard i/n, e.g. a Slurm array task); --out, --dataset-csv and --figures name folders.",
};

export const COMMANDS: readonly Command[] = [
  studyCommand,
  sweepCommand,
  serveCommand,
  benchCommand,
  mergeCommand,
  exportCommand,
];

export function topUsage(): string {
  return [
    'usage: lagrange COMMAND [options]   (lagrange COMMAND --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`),
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
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`lagrange: no command "${name}"\n\n${topUsage()}`);
    return 2;
  }
  return runCommand(command, rest);
}

if (process.argv[1] && /(lagrange|cli)\.(ts|js|cjs|mjs)$/.test(process.argv[1]))
  void main(process.argv.slice(2)).then((code) => process.exit(code));
