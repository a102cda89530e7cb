/*
 * The store's edge: rows as SQLite returns them → typed records. Persisted JSON (a run's study,
 * its results, grid metadata) is parsed and validated here once; a value that cannot be read
 * marks the run as damaged instead of failing the whole project.
 */
import { type z } from 'zod';
import { gridMetaSchemas, isGridKind, studyResultsSchema } from '../../src-shared/dto/results';
import type { TypedGrid } from '../../src-shared/dto/results';
import type { RunRow, RunStatus } from '../../src-shared/dto/runs';
import { studySchema, type StudySpec } from '../../src-shared/study/study-schema';
import { AppError } from '../../src-shared/errors';

export type GridRecord = TypedGrid<Float64Array>;

export function f64Blob(values: ArrayLike<number>): Buffer {
  const a = Float64Array.from(values);
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

export function blobF64(b: Buffer): Float64Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float64Array(copy.buffer);
}

/** null for a non-finite value (SQLite REAL columns keep finite numbers only). */
export function finiteOrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function parseJson<T>(text: string, schema: z.ZodType<T>, what: string): Parsed<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `${what} is not valid JSON (${(err as Error).message})` };
  }
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  return {
    ok: false,
    problem: `${what} does not match its schema (${issue?.path.join('.') || '(root)'}: ${issue?.message})`,
  };
}

/** A row of `runs` as SQLite returns it. */
export interface RunRowRaw {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly message: string;
  readonly backend: string | null;
  readonly seed: number | null;
  readonly step: number;
  readonly max_steps: number;
  readonly final_loss: number | null;
  readonly best_loss: number | null;
  readonly notes: string;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly updated_at: string;
  readonly finished_at: string | null;
  readonly config: string;
  readonly results: string | null;
}

/** A placeholder study for a run whose stored study cannot be read (shown as damaged). */
const UNREADABLE_STUDY = {} as StudySpec;

/**
 * A stored run's study, read (and validated) once by the store: what a resume runs again. A study
 * the store could not read is refused here, with what is wrong, rather than run.
 */
export function storedStudy(run: RunRow): StudySpec {
  if (run.config === UNREADABLE_STUDY)
    throw new AppError(
      'invalid-study',
      `Run ${run.id}'s study cannot be read (${run.damage ?? 'damaged'}), so it cannot run again`,
    );
  return run.config;
}

export function toRunRecord(r: RunRowRaw, tags: string[]): RunRow {
  const damage: string[] = [];
  const config = parseJson(r.config, studySchema, `run ${r.id}'s study`);
  if (!config.ok) damage.push(config.problem);
  let results: RunRow['results'] = null;
  if (r.results && r.results !== 'null') {
    const parsed = parseJson(r.results, studyResultsSchema, `run ${r.id}'s results`);
    if (parsed.ok) results = parsed.value;
    else damage.push(parsed.problem);
  }
  return {
    id: r.id,
    name: r.name,
    status: r.status as RunStatus,
    message: r.message,
    backend: r.backend ?? null,
    seed: r.seed ?? null,
    step: r.step,
    maxSteps: r.max_steps,
    finalLoss: r.final_loss ?? null,
    bestLoss: r.best_loss ?? null,
    notes: r.notes,
    tags,
    createdAt: r.created_at,
    startedAt: r.started_at ?? null,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at ?? null,
    config: config.ok ? config.value : UNREADABLE_STUDY,
    results,
    ...(damage.length ? { damage: damage.join('; ') } : {}),
  };
}

export interface GridRowRaw {
  readonly kind: string;
  readonly meta: string;
  readonly nx: number;
  readonly ny: number;
  readonly data: Buffer;
}

/** A typed grid, or null when its kind is unknown or its metadata unreadable. */
export function toGridRecord(r: GridRowRaw): GridRecord | null {
  if (!isGridKind(r.kind)) return null;
  const meta = parseJson(r.meta, gridMetaSchemas[r.kind] as z.ZodType<unknown>, 'grid metadata');
  if (!meta.ok) return null;
  return {
    kind: r.kind,
    meta: meta.value,
    nx: r.nx,
    ny: r.ny,
    data: blobF64(r.data),
  } as GridRecord;
}
