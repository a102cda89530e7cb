/*
 * The command registry: every menu item, toolbar button and keyboard shortcut is one of these.
 * Pure data shared by the Electron menu (main), the toolbar and the shortcut handler (renderer).
 */
export type MenuName = 'File' | 'Edit' | 'Run' | 'View' | 'Help';

export interface CommandSpec {
  readonly id: string;
  readonly label: string;
  readonly menu: MenuName;
  /** Electron accelerator syntax, e.g. "CmdOrCtrl+Enter". */
  readonly shortcut?: string;
  /** Why a command has no shortcut (the test insists on one or the other). */
  readonly noShortcut?: string;
  /** An Electron menu role that implements it natively (undo, copy, zoom…). */
  readonly role?: string;
  readonly help: string;
}

export const COMMANDS = [
  {
    id: 'file.new',
    label: 'New Project…',
    menu: 'File',
    shortcut: 'CmdOrCtrl+N',
    help: 'Create a project file: one SQLite file holds all its runs.',
  },
  {
    id: 'file.newStudy',
    label: 'New Study',
    menu: 'File',
    shortcut: 'CmdOrCtrl+Shift+N',
    help: "The start screen at any time: load one of the report's studies or a preset into the form.",
  },
  {
    id: 'file.open',
    label: 'Open Project…',
    menu: 'File',
    shortcut: 'CmdOrCtrl+O',
    help: 'Open a project file; runs left running by a crash show as interrupted and can be resumed.',
  },
  {
    id: 'file.openRecent',
    label: 'Open Recent',
    menu: 'File',
    noShortcut: 'a submenu of recent projects, chosen by mouse',
    help: 'The projects opened last.',
  },
  {
    id: 'file.saveAs',
    label: 'Save Project As…',
    menu: 'File',
    shortcut: 'CmdOrCtrl+Shift+S',
    help: 'Copy the project to a new file and continue there.',
  },
  {
    id: 'file.exportFigure',
    label: 'Export Figure…',
    menu: 'File',
    shortcut: 'CmdOrCtrl+E',
    help: "Export the first figure in view (Compare's, or the selected run's loss) as PNG, SVG, PDF and CSV in the style chosen under the figure; every figure has its own export buttons.",
  },
  {
    id: 'file.exportBundle',
    label: 'Export Report Bundle…',
    menu: 'File',
    shortcut: 'CmdOrCtrl+Shift+E',
    help: 'Write the figures of the compared runs and a Markdown summary to a folder.',
  },
  {
    id: 'file.exportData',
    label: 'Export Runs as Data…',
    menu: 'File',
    shortcut: 'CmdOrCtrl+Shift+X',
    help: 'Write the selected run (or the compared runs) as tidy data for Python, TensorBoard and MLflow: CSV/TSV, .npy/.npz with the dataset, event files, MLflow folders.',
  },
  {
    id: 'file.quit',
    label: 'Quit',
    menu: 'File',
    role: 'quit',
    shortcut: 'CmdOrCtrl+Q',
    help: 'Quit; running jobs stop at their last checkpoint and resume later.',
  },
  {
    id: 'edit.undo',
    label: 'Undo',
    menu: 'Edit',
    role: 'undo',
    shortcut: 'CmdOrCtrl+Z',
    help: 'Undo in text fields.',
  },
  {
    id: 'edit.redo',
    label: 'Redo',
    menu: 'Edit',
    role: 'redo',
    shortcut: 'CmdOrCtrl+Shift+Z',
    help: 'Redo in text fields.',
  },
  {
    id: 'edit.cut',
    label: 'Cut',
    menu: 'Edit',
    role: 'cut',
    shortcut: 'CmdOrCtrl+X',
    help: 'Cut.',
  },
  {
    id: 'edit.copy',
    label: 'Copy',
    menu: 'Edit',
    role: 'copy',
    shortcut: 'CmdOrCtrl+C',
    help: 'Copy.',
  },
  {
    id: 'edit.paste',
    label: 'Paste',
    menu: 'Edit',
    role: 'paste',
    shortcut: 'CmdOrCtrl+V',
    help: 'Paste.',
  },
  {
    id: 'edit.selectAll',
    label: 'Select All',
    menu: 'Edit',
    role: 'selectAll',
    shortcut: 'CmdOrCtrl+A',
    help: 'Select all.',
  },
  {
    id: 'run.start',
    label: 'Start',
    menu: 'Run',
    shortcut: 'CmdOrCtrl+Enter',
    help: 'Start a run with the settings on the left.',
  },
  {
    id: 'run.pause',
    label: 'Pause',
    menu: 'Run',
    shortcut: 'CmdOrCtrl+Shift+P',
    help: 'Stop the running job at a checkpoint; Resume continues exactly.',
  },
  {
    id: 'run.resume',
    label: 'Resume',
    menu: 'Run',
    shortcut: 'CmdOrCtrl+Shift+R',
    help: 'Continue the selected paused, interrupted or cancelled run from its checkpoint.',
  },
  {
    id: 'run.cancel',
    label: 'Cancel',
    menu: 'Run',
    shortcut: 'CmdOrCtrl+.',
    help: 'Stop the running job; what it learned so far is kept.',
  },
  {
    id: 'run.reproduceReport',
    label: 'Reproduce the Report',
    menu: 'Run',
    shortcut: 'CmdOrCtrl+Shift+G',
    help: "Run the weekly report's studies and show its 27 figures.",
  },
  {
    id: 'view.compare',
    label: 'Compare Selected Runs',
    menu: 'View',
    shortcut: 'CmdOrCtrl+K',
    help: 'Overlay the ticked runs: loss, parameters, landscapes, configuration and metrics.',
  },
  {
    id: 'view.theme',
    label: 'Toggle Dark Theme',
    menu: 'View',
    shortcut: 'CmdOrCtrl+Shift+D',
    help: 'Light or dark interface; exported figures keep the white publication style.',
  },
  {
    id: 'view.zoomIn',
    label: 'Zoom In',
    menu: 'View',
    role: 'zoomIn',
    shortcut: 'CmdOrCtrl+=',
    help: 'Larger interface.',
  },
  {
    id: 'view.zoomOut',
    label: 'Zoom Out',
    menu: 'View',
    role: 'zoomOut',
    shortcut: 'CmdOrCtrl+-',
    help: 'Smaller interface.',
  },
  {
    id: 'view.resetZoom',
    label: 'Actual Size',
    menu: 'View',
    role: 'resetZoom',
    shortcut: 'CmdOrCtrl+0',
    help: 'Default size.',
  },
  {
    id: 'help.guide',
    label: 'User Guide',
    menu: 'Help',
    shortcut: 'F1',
    help: 'From install to an exported figure (docs/user-guide.md).',
  },
  {
    id: 'help.logs',
    label: 'Show Logs',
    menu: 'Help',
    noShortcut: 'for bug reports; one click in the Help menu',
    help: 'The application log (main process and workers): its last lines and the file to attach to a bug report.',
  },
  {
    id: 'help.about',
    label: 'About Lagrange Studio',
    menu: 'Help',
    noShortcut: 'rarely used; one click in the Help menu',
    help: 'Versions and the compute backend in use.',
  },
] as const satisfies readonly CommandSpec[];

export type CommandId = (typeof COMMANDS)[number]['id'];

/** The toolbar's buttons, by command. */
export const TOOLBAR: readonly CommandId[] = [
  'file.newStudy',
  'file.new',
  'file.open',
  'run.start',
  'run.pause',
  'run.resume',
  'run.cancel',
  'run.reproduceReport',
  'view.compare',
  'file.exportFigure',
  'view.theme',
  'help.about',
];

export function command(id: CommandId): CommandSpec {
  return COMMANDS.find((c) => c.id === id)!;
}

/** Does a keyboard event match an accelerator like "CmdOrCtrl+Shift+S"? */
export function matchesShortcut(
  shortcut: string,
  e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean },
): boolean {
  const parts = shortcut.split('+');
  const key = parts.pop()!;
  const want = {
    mod: parts.includes('CmdOrCtrl'),
    shift: parts.includes('Shift'),
    alt: parts.includes('Alt'),
  };
  const k = e.key.length === 1 ? e.key.toUpperCase() : e.key;
  const keyOk =
    k === key.toUpperCase() ||
    (key === 'Enter' && e.key === 'Enter') ||
    (key === '=' && (e.key === '=' || e.key === '+'));
  return (
    keyOk &&
    (e.ctrlKey || e.metaKey) === want.mod &&
    e.shiftKey === want.shift &&
    e.altKey === want.alt
  );
}
