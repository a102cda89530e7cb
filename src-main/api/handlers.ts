import { writeFile } from 'node:fs/promises';
import { componentLog, logFile, readLogTail } from '../logging';
import { basename } from 'node:path';
import { homedir } from 'node:os';
import { toEnvelope } from '../../src-shared/errors';
import { initBackend } from '../engine/backend';
import { PRESETS } from '../engine/systems/presets';
import { expandSweep } from '../study/sweep';
import { bundledStudies } from '../study/report-gallery';
import type { ExportReply, ExportRequest, PdfReply } from '../jobs/export-worker';
import { runIsolated } from '../jobs/isolated';
import { userPath } from './user-paths';
import { computePool } from '../jobs/compute-pool';
import type { ComputeChannel, ComputeRequest } from '../study/compute-requests';
import { workerModule } from '../jobs/spawn-worker';
import { ProjectLockedError } from '../store/owner-lock';
import { type ProjectStore } from '../store/project-store';
import { pageHistories } from '../../src-shared/dto/runs';
import { runDetail, summarize } from './run-summaries';
import { findGrid } from '../../src-shared/dto/results';
import {
  REPORT_KEYS,
  REPORT_STUDIES,
  type ReportKey,
} from '../../src-shared/figures/report-figures';

import {
  ApiError,
  TASK_LABELS,
  type ApiHandlers,
  type Channel,
  type Envelope,
  type FigureExportSettings,
  type PathPurpose,
  type RequestOf,
  type ResponseOf,
  type RunDetail,
} from '../../src-shared/api/contract';
import { requestSchemas } from '../../src-shared/api/request-schemas';
import type { ProjectSession } from './session';
import { version } from '../../package.json';

/** The version is package.json's: said once, bundled with the main process. */
export const APP_VERSION: string = version;

/** One function per channel: validate (done by `dispatch`), then call the engine, store or jobs. */
/** What only the desktop shell can do (native dialogs); absent in the browser UI. */
export interface DesktopServices {
  chooseProjectPath(create: boolean): Promise<string | null>;
  choosePath(purpose: PathPurpose, defaultPath?: string): Promise<string | null>;
  /** The save dialog for an exported file (a name suggested); null when cancelled. */
  chooseSavePath(name: string): Promise<string | null>;
  /** Asked when a chosen project is locked by another process: open it read-only? */
  confirmReadOnly(message: string): Promise<boolean>;
  /** Show a file in the system's file manager. */
  revealFile(path: string): void;
  readonly versions: Record<string, string>;
}

/* eslint-disable-next-line max-lines-per-function --
   a table: one handler per API channel, each a few lines */
export function createHandlers(
  session: ProjectSession,
  transport: 'ipc' | 'http',
  desktop?: DesktopServices,
): ApiHandlers {
  const store = (): ProjectStore => {
    const s = session.store;
    if (!s) throw new ApiError('no-project', 'No project is open: open or create one first');
    return s;
  };
  const queue = () => {
    const q = session.queue;
    if (!q) throw new ApiError('no-project', 'No project is open: open or create one first');
    return q;
  };
  /**
   * Figures drawn by the isolated export child (native renderers: an abort there is an error
   * naming the figure) under the request's ticket, with the request's figure settings.
   */
  const drawFigures = (
    channel: 'report:export' | 'export:bundle',
    request: (
      | { kind: 'report'; details: Record<ReportKey, RunDetail> }
      | { kind: 'bundle'; details: RunDetail[] }
    ) & { dir: string; ticket?: string } & FigureExportSettings,
    what: string,
  ) => {
    const { ticket, dir, dpi, style, formats, colourMap, ...rest } = request;
    const job = {
      ...rest,
      dir: userPath(dir),
      dpi: dpi ?? 300,
      ...(style ? { style } : {}),
      ...(formats ? { formats } : {}),
      ...(colourMap ? { colourMap } : {}),
    } as ExportRequest;
    // Rendering at print resolution takes seconds: a child process, not the main thread.
    return session.tasks.run(ticket, TASK_LABELS[channel], (signal) =>
      runIsolated<ExportRequest, ExportReply>(workerModule('export-worker'), job, {
        signal,
        what,
      }),
    );
  };
  /**
   * A compute channel's handler: the request runs in the compute pool under its ticket, so the
   * client can follow it (task:progress) and stop it (task:cancel).
   */
  const computed =
    <C extends ComputeChannel>(channel: C) =>
    ({ ticket, ...request }: RequestOf<C>): Promise<ResponseOf<C>> =>
      session.tasks.run(ticket, TASK_LABELS[channel], (signal, onProgress) =>
        computePool().run(channel, request as ComputeRequest<C>, { signal, onProgress }),
      );
  const projectInfo = () =>
    session.store
      ? {
          path: session.store.path,
          runCount: session.store.listRuns().length,
          readOnly: session.store.readOnly,
          readOnlyReason: session.store.readOnlyReason,
        }
      : null;
  const ok = { ok: true } as const;
  const desktopOnly = (): DesktopServices => {
    if (!desktop)
      throw new ApiError(
        'unsupported',
        'File dialogs exist only in the desktop app: type the path instead',
      );
    return desktop;
  };

  return {
    async 'app:info'() {
      return {
        version: APP_VERSION,
        versions: desktop?.versions ?? { node: process.versions.node },
        backend: await initBackend(),
        project: projectInfo(),
        transport,
        homeFolder: homedir(),
      };
    },
    async 'presets:list'() {
      return Object.entries(PRESETS).map(([id, definition]) => ({ id, definition }));
    },
    // Input-dependent computations run in the compute workers, with time and memory budgets.
    'system:check': computed('system:check'),
    'system:fixed-points': computed('system:fixed-points'),
    'dataset:preview': computed('dataset:preview'),
    'analysis:field': computed('analysis:field'),
    'run:data': computed('run:data'),
    'sampling:check': computed('sampling:check'),
    async 'task:cancel'({ ticket }) {
      return { cancelled: session.tasks.cancel(ticket) };
    },
    async 'project:open'({ path, create, readOnly }) {
      await session.open(path, create ?? false, readOnly ?? false);
      return projectInfo()!;
    },
    async 'project:current'() {
      return projectInfo();
    },
    async 'project:size'() {
      return store().size();
    },
    async 'project:prune'({ keepNewest }) {
      const pruned = store().pruneLandscapes(keepNewest);
      return { ...pruned, size: store().size() };
    },
    async 'runs:list'() {
      return store().listRuns().map(summarize);
    },
    async 'runs:get'({ id }) {
      // the page gets the histories it plots: the first parameters and the landscape's axes
      const detail = runDetail(store(), id);
      const names = detail.run.results?.model.parameterNames ?? [];
      const meta = findGrid(detail.grids, 'landscape')?.meta;
      return pageHistories(detail, meta ? [names.indexOf(meta.x), names.indexOf(meta.y)] : []);
    },
    async 'runs:start'({ study, name }) {
      const ids = study.sweep
        ? expandSweep(study).map((s) => queue().start(s.study))
        : [queue().start(study, name)];
      return { id: ids[0]!, ids };
    },
    async 'runs:pause'({ id }) {
      queue().pause(id);
      return ok;
    },
    async 'runs:resume'({ id }) {
      queue().resume(id);
      return ok;
    },
    async 'runs:cancel'({ id }) {
      queue().cancel(id);
      return ok;
    },
    async 'runs:rename'({ id, name }) {
      store().renameRun(id, name);
      return ok;
    },
    async 'runs:tags'({ id, tags }) {
      store().setTags(id, tags);
      return ok;
    },
    async 'runs:notes'({ id, notes }) {
      store().setNotes(id, notes);
      return ok;
    },
    async 'runs:delete'({ id }) {
      if (
        queue()
          .list()
          .some((j) => j.runId === id)
      )
        throw new ApiError('run-active', `Run ${id} is running: cancel it before deleting`);
      if (!store().deleteRun(id)) throw new ApiError('not-found', `There is no run ${id}`);
      return ok;
    },
    async 'jobs:list'() {
      return queue().list();
    },
    async 'project:recent'() {
      return session.recentProjects;
    },
    async 'export:data'({ runIds, dir, formats, ticket }) {
      const details = runIds.map((id) => runDetail(store(), id));
      const reply = await session.tasks.run(ticket, TASK_LABELS['export:data'], (signal) =>
        runIsolated<ExportRequest, ExportReply>(
          workerModule('export-worker'),
          { kind: 'data', details, dir: userPath(dir), formats },
          { signal, what: 'The runs could not be exported' },
        ),
      );
      return { dir: reply.dir, files: reply.files };
    },
    async 'figures:pdf'({ svg, widthIn, heightIn }) {
      const reply = await runIsolated<ExportRequest, PdfReply>(
        workerModule('export-worker'),
        { kind: 'pdf', svg, widthIn, heightIn },
        { what: 'The figure could not be drawn as PDF' },
      );
      return { data: reply.pdf };
    },
    async 'logs:tail'({ lines }) {
      return readLogTail(lines ?? 200);
    },
    async 'logs:reveal'() {
      const path = logFile();
      desktopOnly().revealFile(path);
      return { path };
    },
    async 'dialog:choose'({ purpose, defaultPath }) {
      return (await desktopOnly().choosePath(purpose, defaultPath)) ?? null;
    },
    async 'file:save'({ name, data, encoding }) {
      const path = await desktopOnly().chooseSavePath(basename(name));
      if (!path) return null;
      await writeFile(path, Buffer.from(data, encoding));
      return { path };
    },
    async 'project:choose'({ create }) {
      const shell = desktopOnly();
      const path = await shell.chooseProjectPath(create);
      if (!path) return null;
      try {
        await session.open(path, create);
      } catch (err) {
        // Another process writes it: offer it read-only (the native question).
        if (!(err instanceof ProjectLockedError) || !(await shell.confirmReadOnly(err.message)))
          throw err;
        await session.open(path, false, true);
      }
      return projectInfo();
    },
    async 'project:save-as'({ path }) {
      await store().backupTo(path);
      await session.open(path);
      return projectInfo()!;
    },
    async 'studies:list'() {
      return bundledStudies();
    },
    async 'report:reproduce'() {
      const runIds: Record<string, number> = {};
      const reused: number[] = [];
      // A report run of this project with the same configuration (finished, running, or paused)
      // is the study's run: the gallery persists, reopening it starts nothing new.
      const earlier = store()
        .listRuns()
        .filter((r) => r.tags.includes('report') && !r.damage)
        .filter((r) => !['failed', 'cancelled'].includes(r.status));
      // The report's own studies (those with a report section), not the other examples.
      for (const { file, study } of bundledStudies().filter((b) => b.study.reportSection)) {
        const same = earlier.filter((r) => JSON.stringify(r.config) === JSON.stringify(study));
        const found = same.at(-1);
        if (found) {
          // a paused or interrupted one goes on from its checkpoint
          if (found.status === 'paused' || found.status === 'interrupted') queue().resume(found.id);
          runIds[file] = found.id;
          reused.push(found.id);
          continue;
        }
        const id = queue().start(study);
        store().setTags(id, ['report']);
        runIds[file] = id;
      }
      return { runIds, reused };
    },
    async 'report:export'({ runIds, ...settings }) {
      const details = Object.fromEntries(
        REPORT_KEYS.map((k) => [k, runDetail(store(), runIds[REPORT_STUDIES[k]]!)]),
      ) as Record<ReportKey, RunDetail>;
      const reply = await drawFigures(
        'report:export',
        { kind: 'report', details, ...settings },
        "The report's figures could not be written",
      );
      return { dir: reply.dir, files: reply.files };
    },
    async 'export:bundle'({ runIds, ...settings }) {
      const details = runIds.map((id) => runDetail(store(), id));
      const reply = await drawFigures(
        'export:bundle',
        { kind: 'bundle', details, ...settings },
        'The report bundle could not be written',
      );
      return {
        dir: reply.dir,
        files: reply.files,
        ...(reply.skipped?.length ? { skipped: reply.skipped } : {}),
      };
    },
  };
}

const apiLog = () => componentLog('api');

/** Validate a request against its channel's schema, run the handler, wrap the outcome. */
export async function dispatch(
  handlers: ApiHandlers,
  channel: Channel,
  request: unknown,
): Promise<Envelope<unknown>> {
  const parsed = requestSchemas[channel].safeParse(request ?? {});
  if (!parsed.success) {
    apiLog().warn({ channel, code: 'invalid-request' }, parsed.error.issues[0]?.message ?? '');
    return {
      ok: false,
      error: {
        code: 'invalid-request',
        message: `Invalid ${channel} request: ${parsed.error.issues
          .slice(0, 8)
          .map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`)
          .join('; ')}`,
        fields: parsed.error.issues
          .slice(0, 50)
          .map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      },
    };
  }
  try {
    const value = await (handlers[channel] as (r: unknown) => Promise<unknown>)(parsed.data);
    return { ok: true, value };
  } catch (err) {
    const body = toEnvelope(err);
    // A user's mistake is information; anything else is a bug and keeps its stack.
    if (body.code === 'internal') apiLog().error({ channel, err }, body.message);
    else apiLog().info({ channel, code: body.code }, body.message);
    return { ok: false, error: body };
  }
}
