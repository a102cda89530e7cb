// npm run merge -- TARGET.lsproj SOURCE.lsproj [SOURCE.lsproj …] — bring the shards of a sweep into
// one project.
import { COMMAND_SUMMARIES } from './command-list';
import { resolve } from 'node:path';
import { mergeProjects } from '../store/merge-projects';
import { runCommand, UsageError, type Command, exitAfterOutput } from './args';

export const mergeCommand: Command = {
  name: 'merge',
  summary: COMMAND_SUMMARIES.merge,
  positionals: 'TARGET.lsproj SOURCE.lsproj [SOURCE.lsproj …]',
  options: {},
  async run({ positionals }) {
    const [target, ...sources] = positionals;
    if (!target || sources.length === 0) throw new UsageError('a target and at least one source');
    const { imported } = mergeProjects(
      resolve(target),
      sources.map((s) => resolve(s)),
    );
    console.log(`merged ${imported} runs from ${sources.length} project(s) into ${target}`);
    return 0;
  },
};

if (process.argv[1] && /merge\.(ts|js)$/.test(process.argv[1]))
  void runCommand(mergeCommand, process.argv.slice(2)).then(exitAfterOutput);
