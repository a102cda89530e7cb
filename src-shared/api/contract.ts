/*
 * The one API contract between the renderer and the main process. Both transports (Electron
 * IPC and the loopback HTTP bridge) carry exactly these channels; main, preload and renderer
 * import this module, so a handler and a client that disagree fail the typecheck.
 * Types, and a few pure values beside them (the channel list, task labels, ApiError): nothing
 * here touches Node or the DOM, so the renderer bundle stays free of main-process code.
 */
import type { z } from 'zod';
import { AppError, type ErrorCode, type ErrorEnvelope } from '../errors';
import type {
  figureExportSettingsSchema,
  pathPurposeSchema,
  requestSchemas,
} from './request-schemas';
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
import type { SamplingSpec } from '../dto/sampling';
import type { SystemCheck, SystemDefinition } from '../dto/system';
import type { StudySpec } from '../study/study-schema';

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
export type FigureExportSettings = z.infer<typeof figureExportSettingsSchema>;

/**
 * Every channel and what it answers. What it takes is its request schema's type
 * (request-schemas.ts: the zod schema is the one declaration; `RequestOf` is inferred from it).
 */
export interface ApiContract {
  'app:info': { response: AppInfo };
  'presets:list': { response: Array<{ id: string; definition: SystemDefinition }> };
  'system:check': { response: SystemCheck };
  'system:fixed-points': {
    response: FixedPoint[];
  };
  'dataset:preview': {
    response: DatasetPreview;
  };
  'analysis:field': { response: FieldResponse };
  /**
   * The data a run was fitted to, at most maxPoints of it evenly spread: the imported points with
   * their derivative estimates for measured studies, the recipe's samples otherwise.
   */
  'run:data': {
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
    response: {
      probes: number;
      /** Probe points where q̈ is not a finite number. */
      undefinedAt: number;
      /** The first such point, as q and q̇. */
      example?: { q: number[]; qd: number[] };
    };
  };
  /** Stop a long request by its ticket; false when it had already ended. */
  'task:cancel': { response: { cancelled: boolean } };
  'project:open': {
    response: ProjectInfo;
  };
  'project:current': { response: ProjectInfo | null };
  /** The open project's size on disk and its landscapes' share. */
  'project:size': { response: ProjectSize };
  /** Drop stored landscapes of all but the newest runs (report and active runs kept). */
  'project:prune': {
    response: { runs: number; freedBytes: number; compacted: boolean; size: ProjectSize };
  };
  'runs:list': { response: RunSummary[] };
  'runs:get': { response: RunDetail };
  /** A study with a sweep starts one run per combination: `ids` lists them all. */
  'runs:start': {
    response: { id: number; ids: number[] };
  };
  'runs:pause': { response: { ok: true } };
  'runs:resume': { response: { ok: true } };
  'runs:cancel': { response: { ok: true } };
  'runs:rename': { response: { ok: true } };
  'runs:tags': { response: { ok: true } };
  'runs:notes': { response: { ok: true } };
  'runs:delete': { response: { ok: true } };
  'jobs:list': { response: JobInfo[] };
  'project:recent': { response: string[] };
  /**
   * Native file dialog (Electron); null when cancelled. Refused over HTTP: the browser UI uses the
   * path field.
   */
  'project:choose': { response: ProjectInfo | null };
  /** Native dialog for a path (Electron only; null when cancelled): folders, CSV files, saves. */
  'dialog:choose': {
    response: string | null;
  };
  /** Save an exported file through the native save dialog (Electron only; null when cancelled). */
  'file:save': {
    response: { path: string } | null;
  };
  'project:save-as': { response: ProjectInfo };
  /**
   * Runs as tidy data for Python, TensorBoard and MLflow (as `lagrange export`): per run metrics
   * (CSV/TSV), arrays (.npy or .npz) and the dataset the fit used, event files, MLflow folders.
   */
  'export:data': {
    response: { dir: string; files: string[] };
  };
  /** The application log's last lines (JSON lines, oldest first) and where the file is. */
  'logs:tail': { response: { path: string; lines: string[] } };
  /** Show the log file in the system's file manager (Electron only). */
  'logs:reveal': { response: { path: string } };
  /** The bundled example studies (the report's runs) for the start screen. */
  'studies:list': { response: Array<{ file: string; study: StudySpec }> };
  /** Start every bundled study of the weekly report; runIds maps study file → run. */
  'report:reproduce': {
    /** reused: runs of an earlier pass with the same configuration (nothing new started). */
    response: { runIds: Record<string, number>; reused: number[] };
  };
  /**
   * A figure drawn in the page (its SVG at a style's size, in the bundled fonts) as a vector PDF
   * of that size: every chart's own PDF export. Base64.
   */
  'figures:pdf': {
    response: { data: string };
  };
  /**
   * The report's 27 figures from its runs (`runIds` as report:reproduce gave them), named by
   * figure number (fig13-….pdf), multi-panel figures composed, figures.json with the numbers.
   */
  'report:export': {
    response: { dir: string; files: string[] };
  };
  /**
   * Figures (SVG, PNG at dpi, CSV) of the runs and a Markdown summary with their configuration and
   * metrics, written to a folder.
   */
  'export:bundle': {
    /** `skipped`: damaged runs left out, each with why (the rest is exported). */
    response: { dir: string; files: string[]; skipped?: string[] };
  };
}

/** What a native path dialog is for: its title, filters and kind (open, save or folder). */
export type PathPurpose = z.infer<typeof pathPurposeSchema>;

export type Channel = keyof ApiContract;
export type RequestOf<C extends Channel> = z.input<(typeof requestSchemas)[C]>;
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
