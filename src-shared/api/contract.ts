/*
 * The one API contract between the renderer and the main process. Both transports (Electron
 * IPC and the loopback HTTP bridge) carry exactly these channels; main, preload and renderer
 * import this module, so a handler and a client that disagree fail the typecheck.
 * Types, and a few pure values beside them (the channel list, task labels, ApiError): nothing
 * here touches Node or the DOM, so the renderer bundle stays free of main-process code.
 */
import { AppError, type ErrorCode, type ErrorEnvelope } from '../errors';
import type { AppInfo, ProjectInfo } from '../dto/app';
import type { DatasetPreview, FieldRequest, FieldResponse } from '../dto/fields';
import type { FixedPoint } from '../dto/fixed-point';
import type { JobInfo, JobProgress, JobStatusEvent } from '../dto/jobs';
import type { ModelSpec } from '../dto/model-spec';
import type {
  GridData,
  MetricsSeries,
  ProjectSize,
  RunDetail,
  RunRow,
  RunStatus,
  RunSummary,
} from '../dto/runs';
import type { Interval, SamplingSpec } from '../dto/sampling';
import type { SystemCheck, SystemDefinition } from '../dto/system';
import type { StudySpec } from '../study/study-schema';
import type { ColourMapName } from '../charts/colormap';
import type { FigureFormat, FigureStyleName } from '../figures/figure-style';

export type {
  AppInfo,
  DatasetPreview,
  FieldRequest,
  FieldResponse,
  FixedPoint,
  GridData,
  JobInfo,
  JobProgress,
  JobStatusEvent,
  MetricsSeries,
  ModelSpec,
  ProjectInfo,
  RunDetail,
  RunRow,
  RunStatus,
  RunSummary,
  SamplingSpec,
  StudySpec,
  SystemCheck,
  SystemDefinition,
};

type Empty = Record<string, never>;

/**
 * A client-chosen name for a long request, so it can be followed (`task:progress` events) and
 * stopped (`task:cancel`) while it runs.
 */
export interface Ticketed {
  readonly ticket?: string;
}

/** The channels that take a ticket, with what their task bar entry says while they run. */
export const TASK_LABELS = {
  'system:check': 'Checking the system',
  'system:fixed-points': 'Finding the fixed points',
  'dataset:preview': 'Drawing the dataset preview',
  'analysis:field': 'Computing a field',
  'run:data': "Reading the run's data",
  'sampling:check': 'Checking the window against the Lagrangian',
  'export:bundle': 'Writing the report bundle',
  'report:export': "Writing the report's figures",
  'export:data': 'Exporting runs as data',
} as const;
export type TicketedChannel = keyof typeof TASK_LABELS;

/** How exported figures look: shared by the bundle and the report export. */
export interface FigureExportSettings {
  dpi?: number;
  /** screen (default), paper, paper-wide or slides. */
  style?: FigureStyleName;
  /** default svg, png, csv. */
  formats?: FigureFormat[];
  /** Fields' colour map: viridis (default), cividis or magma. */
  colourMap?: ColourMapName;
}

export interface ApiContract {
  'app:info': { request: Empty; response: AppInfo };
  'presets:list': { request: Empty; response: Array<{ id: string; definition: SystemDefinition }> };
  'system:check': { request: { system: SystemDefinition } & Ticketed; response: SystemCheck };
  'system:fixed-points': {
    request: {
      system: SystemDefinition;
      window: Interval[];
      parameters?: Record<string, number>;
    } & Ticketed;
    response: FixedPoint[];
  };
  'dataset:preview': {
    request: {
      system: SystemDefinition;
      sampling: SamplingSpec;
      trueParameters?: Record<string, number>;
    } & Ticketed;
    response: DatasetPreview;
  };
  'analysis:field': { request: FieldRequest & Ticketed; response: FieldResponse };
  /**
   * The data a run was fitted to, at most maxPoints of it evenly spread: the imported points with
   * their derivative estimates for measured studies, the recipe's samples otherwise.
   */
  'run:data': {
    /** With `parameters` (the fit's θ), the fit's q̈ at the same points comes back too. */
    request: { study: StudySpec; maxPoints?: number; parameters?: number[] } & Ticketed;
    response: Pick<DatasetPreview, 'n' | 'q' | 'qd' | 'qdd'> & {
      measured: boolean;
      /** How many points the arrays hold (every k-th of the n). */
      shown: number;
      /** The fitted model's q̈ at the shown points, when parameters were given. */
      predicted?: number[][];
    };
  };
  /**
   * Whether q̈ is defined in a sampling window: the true system's q̈ at probe points of the
   * window (its corners, its centre and a fixed random draw). A window outside the domain of L
   * (a logarithm of a negative, a singular mass matrix everywhere) is named before a run starts.
   */
  'sampling:check': {
    request: {
      system: SystemDefinition;
      window: SamplingSpec['window'];
      trueParameters?: Record<string, number>;
    } & Ticketed;
    response: {
      probes: number;
      /** Probe points where q̈ is not a finite number. */
      undefinedAt: number;
      /** The first such point, as q and q̇. */
      example?: { q: number[]; qd: number[] };
    };
  };
  /** Stop a long request by its ticket; false when it had already ended. */
  'task:cancel': { request: { ticket: string }; response: { cancelled: boolean } };
  'project:open': {
    request: { path: string; create?: boolean; readOnly?: boolean };
    response: ProjectInfo;
  };
  'project:current': { request: Empty; response: ProjectInfo | null };
  /** The open project's size on disk and its landscapes' share. */
  'project:size': { request: Empty; response: ProjectSize };
  /** Drop stored landscapes of all but the newest runs (report and active runs kept). */
  'project:prune': {
    request: { keepNewest: number };
    response: { runs: number; freedBytes: number; compacted: boolean; size: ProjectSize };
  };
  'runs:list': { request: Empty; response: RunSummary[] };
  'runs:get': { request: { id: number }; response: RunDetail };
  /** A study with a sweep starts one run per combination: `ids` lists them all. */
  'runs:start': {
    request: { study: StudySpec; name?: string };
    response: { id: number; ids: number[] };
  };
  'runs:pause': { request: { id: number }; response: { ok: true } };
  'runs:resume': { request: { id: number }; response: { ok: true } };
  'runs:cancel': { request: { id: number }; response: { ok: true } };
  'runs:rename': { request: { id: number; name: string }; response: { ok: true } };
  'runs:tags': { request: { id: number; tags: string[] }; response: { ok: true } };
  'runs:notes': { request: { id: number; notes: string }; response: { ok: true } };
  'runs:delete': { request: { id: number }; response: { ok: true } };
  'jobs:list': { request: Empty; response: JobInfo[] };
  'project:recent': { request: Empty; response: string[] };
  /**
   * Native file dialog (Electron); null when cancelled. Refused over HTTP: the browser UI uses the
   * path field.
   */
  'project:choose': { request: { create: boolean }; response: ProjectInfo | null };
  /** Native dialog for a path (Electron only; null when cancelled): folders, CSV files, saves. */
  'dialog:choose': {
    request: { purpose: PathPurpose; defaultPath?: string };
    response: string | null;
  };
  /** Save an exported file through the native save dialog (Electron only; null when cancelled). */
  'file:save': {
    request: { name: string; data: string; encoding: 'utf8' | 'base64' };
    response: { path: string } | null;
  };
  'project:save-as': { request: { path: string }; response: ProjectInfo };
  /**
   * Runs as tidy data for Python, TensorBoard and MLflow (as `lagrange export`): per run metrics
   * (CSV/TSV), arrays (.npy or .npz) and the dataset the fit used, event files, MLflow folders.
   */
  'export:data': {
    request: {
      runIds: number[];
      dir: string;
      formats: Array<'csv' | 'tsv' | 'npy' | 'npz' | 'tfevents' | 'mlflow'>;
    } & Ticketed;
    response: { dir: string; files: string[] };
  };
  /** The application log's last lines (JSON lines, oldest first) and where the file is. */
  'logs:tail': { request: { lines?: number }; response: { path: string; lines: string[] } };
  /** Show the log file in the system's file manager (Electron only). */
  'logs:reveal': { request: Empty; response: { path: string } };
  /** The bundled example studies (the report's runs) for the start screen. */
  'studies:list': { request: Empty; response: Array<{ file: string; study: StudySpec }> };
  /** Start every bundled study of the weekly report; runIds maps study file → run. */
  'report:reproduce': {
    request: Empty;
    /** reused: runs of an earlier pass with the same configuration (nothing new started). */
    response: { runIds: Record<string, number>; reused: number[] };
  };
  /**
   * A figure drawn in the page (its SVG at a style's size, in the bundled fonts) as a vector PDF
   * of that size: every chart's own PDF export. Base64.
   */
  'figures:pdf': {
    request: { svg: string; widthIn: number; heightIn: number };
    response: { data: string };
  };
  /**
   * The report's 27 figures from its runs (`runIds` as report:reproduce gave them), named by
   * figure number (fig13-….pdf), multi-panel figures composed, figures.json with the numbers.
   */
  'report:export': {
    request: { runIds: Record<string, number>; dir: string } & FigureExportSettings & Ticketed;
    response: { dir: string; files: string[] };
  };
  /**
   * Figures (SVG, PNG at dpi, CSV) of the runs and a Markdown summary with their configuration and
   * metrics, written to a folder.
   */
  'export:bundle': {
    request: { runIds: number[]; dir: string } & FigureExportSettings & Ticketed;
    /** `skipped`: damaged runs left out, each with why (the rest is exported). */
    response: { dir: string; files: string[]; skipped?: string[] };
  };
}

/** What a native path dialog is for: its title, filters and kind (open, save or folder). */
export type PathPurpose = 'export-folder' | 'measured-csv' | 'project-save-as';

export type Channel = keyof ApiContract;
export type RequestOf<C extends Channel> = ApiContract[C]['request'];
export type ResponseOf<C extends Channel> = ApiContract[C]['response'];

export interface ApiEvents {
  'job:progress': JobProgress;
  'job:status': JobStatusEvent;
  /** How far a ticketed request is: what it does and the fraction done. */
  'task:progress': TaskProgress;
  /** A menu item or shortcut of the native menu (Electron), by command id. */
  command: { id: string; arg?: string };
}
export type EventName = keyof ApiEvents;

export interface TaskProgress {
  readonly ticket: string;
  readonly what: string;
  readonly fraction: number;
}

/**
 * Every channel, checked complete against the contract (a missing or extra key fails to compile).
 */
const channelSet = {
  'app:info': true,
  'presets:list': true,
  'system:check': true,
  'system:fixed-points': true,
  'dataset:preview': true,
  'run:data': true,
  'sampling:check': true,
  'analysis:field': true,
  'task:cancel': true,
  'project:open': true,
  'project:current': true,
  'project:size': true,
  'project:prune': true,
  'runs:list': true,
  'runs:get': true,
  'runs:start': true,
  'runs:pause': true,
  'runs:resume': true,
  'runs:cancel': true,
  'runs:rename': true,
  'runs:tags': true,
  'runs:notes': true,
  'runs:delete': true,
  'jobs:list': true,
  'export:bundle': true,
  'figures:pdf': true,
  'report:export': true,
  'report:reproduce': true,
  'project:recent': true,
  'project:choose': true,
  'project:save-as': true,
  'dialog:choose': true,
  'file:save': true,
  'studies:list': true,
  'export:data': true,
  'logs:tail': true,
  'logs:reveal': true,
} as const satisfies Record<Channel, true>;
export const CHANNELS = Object.keys(channelSet) as Channel[];
export const EVENT_NAMES: readonly EventName[] = [
  'job:progress',
  'job:status',
  'task:progress',
  'command',
];

export function isChannel(c: unknown): c is Channel {
  return typeof c === 'string' && Object.hasOwn(channelSet, c);
}

/** What a transport returns: a value or an error that names the problem. */
export type Envelope<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorEnvelope };

export type ApiHandlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

export interface ApiClient {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  readonly transport: 'ipc' | 'http';
  /**
   * The browser UI's file upload (it cannot name a path on the server's machine): the file goes
   * beside the project; resolves to its path there. Absent in the desktop app (native dialogs).
   */
  readonly upload?: (
    file: Blob,
    name: string,
    options?: { onProgress?: (fraction: number) => void; signal?: AbortSignal },
  ) => Promise<{ path: string; bytes: number }>;
}

/** An error that crossed the transport: the code and position of the AppError behind it. */
export class ApiError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    position?: number,
    readonly fields?: ErrorEnvelope['fields'],
  ) {
    super(code, message, position);
    this.name = 'ApiError';
  }
}
