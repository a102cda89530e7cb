// lagrange export PROJECT --out DIR [--run ID …] [--formats csv,npy,…] — runs as tidy data.
import { COMMAND_SUMMARIES } from './command-list';
import { resolve } from 'node:path';
import { EXPORT_FORMATS, exportRuns, type ExportFormat } from '../export/run-export';
import { ProjectStore } from '../store/project-store';
import { runCommand, stringOption, UsageError, type Command, exitAfterOutput } from './args';

export const exportCommand: Command = {
  name: 'export',
  summary: COMMAND_SUMMARIES.export,
  positionals: 'PROJECT.lsproj',
  options: {
    out: { type: 'string', value: 'DIR', help: 'folder to write into (created)' },
    run: { type: 'string', multiple: true, value: 'ID', help: 'a run to export (default: all)' },
    formats: {
      type: 'string',
      value: 'LIST',
      help: `comma-separated, from ${EXPORT_FORMATS.join(', ')} (default csv,npy,npz)`,
    },
  },
  async run(args) {
    const [project] = args.positionals;
    const out = stringOption(args, 'out');
    if (!project) throw new UsageError('which project?');
    if (!out) throw new UsageError('--out DIR is required');
    const formats = (stringOption(args, 'formats') ?? 'csv,npy,npz')
      .split(',')
      .map((f) => f.trim());
    for (const f of formats)
      if (!(EXPORT_FORMATS as readonly string[]).includes(f))
        throw new UsageError(`--formats: "${f}" is not one of ${EXPORT_FORMATS.join(', ')}`);
    // a reading command reads: it never takes the owner lock (the app may have the project open)
    const store = ProjectStore.open(resolve(project), { readOnly: true });
    try {
      const asked = (args.values.run as string[] | undefined)?.map((id) => {
        if (!/^\d+$/.test(id)) throw new UsageError(`--run takes a run id, not "${id}"`);
        return Number(id);
      });
      const ids = asked ?? store.listRuns().map((r) => r.id);
      const details = ids.map((id) => {
        const d = store.detail(id);
        if (!d) throw new UsageError(`${project} has no run ${id}`);
        return d;
      });
      const files = exportRuns(details, resolve(out), formats as ExportFormat[]);
      console.log(`wrote ${files.length} files for ${details.length} run(s) into ${out}`);
      return 0;
    } finally {
      store.close();
    }
  },
};

if (process.argv[1] && /export\.(ts|js)$/.test(process.argv[1]))
  void runCommand(exportCommand, process.argv.slice(2)).then(exitAfterOutput);
