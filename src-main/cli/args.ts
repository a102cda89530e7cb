import { parseArgs } from 'node:util';

/*
 * One argument parser for every command (Node's util.parseArgs, strict): unknown flags and
 * malformed values are refused with the flag named, `--help` prints the usage. Exit codes:
 * 0 done, 1 the work failed (a failed run, an unreadable project), 2 the command line is wrong.
 */

export class UsageError extends Error {}

export type OptionSpec = {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** One line of help: what the option does. */
  readonly help: string;
  /** For a string option: the value's name in the usage, e.g. FILE. */
  readonly value?: string;
};

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Positional arguments as shown in the usage, e.g. "STUDY.json". */
  readonly positionals: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Runs with the parsed arguments; resolves to the exit code. */
  run(args: ParsedArgs): Promise<number>;
}

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
}

export function usage(command: Command): string {
  const lines = [
    `usage: lagrange ${command.name} ${command.positionals} [options]`,
    '',
    command.summary,
    '',
    'options:',
  ];
  const options = { ...command.options, help: { type: 'boolean', help: 'show this help' } };
  for (const [name, o] of Object.entries(options) as Array<[string, OptionSpec]>) {
    const flag = `--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    lines.push(`  ${flag.padEnd(26)} ${o.help}${o.multiple ? ' (repeatable)' : ''}`);
  }
  return lines.join('\n');
}

/** Parse strictly; null when --help was asked (the usage is printed). */
export function parse(command: Command, argv: readonly string[]): ParsedArgs | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        ...Object.fromEntries(
          Object.entries(command.options).map(([name, o]) => [
            name,
            {
              type: o.type,
              ...(o.multiple ? { multiple: true } : {}),
              ...(o.short ? { short: o.short } : {}),
            },
          ]),
        ),
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.values.help) {
    console.log(usage(command));
    return null;
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A numeric option: absent → fallback; not a finite number → a usage error naming the flag. */
/** What a numeric option accepts: a whole number or any, and its inclusive range. */
export interface NumberRange {
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
}

export function numberOption(
  args: ParsedArgs,
  name: string,
  fallback: number,
  range: NumberRange = {},
): number {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v))
    throw new UsageError(`--${name} takes a number, not "${text}"`);
  if (range.integer && !Number.isInteger(v))
    throw new UsageError(`--${name} takes a whole number, not "${text}"`);
  const { min = -Infinity, max = Infinity } = range;
  if (v < min || v > max) {
    const bounds =
      max === Infinity
        ? `at least ${min}`
        : min === -Infinity
          ? `at most ${max}`
          : `${min} to ${max}`;
    throw new UsageError(`--${name} takes ${bounds}, not ${text}`);
  }
  return v;
}

/**
 * Exit with `code` once stdout and stderr have written everything: on a pipe their writes are
 * asynchronous, and exiting at once cut `lagrange study --json | jq` at 64 KiB.
 */
export function exitAfterOutput(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

/** Run a command on argv: usage errors exit 2 with the usage, failures exit 1. */
export async function runCommand(command: Command, argv: readonly string[]): Promise<number> {
  try {
    const args = parse(command, argv);
    return args ? await command.run(args) : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`lagrange ${command.name}: ${err.message}\n\n${usage(command)}`);
      return 2;
    }
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}
