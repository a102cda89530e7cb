/*
 * One base for every error a user can cause and fix. The API maps errors by `code` alone, so a
 * new module's errors need no change in the transport: throw an AppError (or a subclass).
 * docs/reliability.md lists the codes.
 */
export const ERROR_CODES = [
  // requests and paths
  'invalid-request',
  'invalid-study',
  'not-found',
  'bad-path',
  'too-large',
  'read-only',
  'unavailable',
  'unauthorized',
  'run-active',
  'no-project',
  // project files
  'not-a-database',
  'not-a-project',
  'newer-schema',
  'corrupt',
  'missing',
  'locked',
  // expressions
  'empty',
  'too-long',
  'too-deep',
  'too-complex',
  'syntax',
  'unknown-symbol',
  'unknown-function',
  'unsupported',
  'invalid-number',
  'overflow',
  'no-velocity',
  'singular-mass',
  'not-finite',
  'no-convergence',
  'invalid-system',
  // engine settings
  'empty-window',
  'invalid-window',
  'zero-width-window',
  'invalid-count',
  'invalid-csv',
  'invalid-grid',
  'invalid-landscape',
  'invalid-model',
  'invalid-optimizer',
  'invalid-rollout',
  'invalid-route',
  'invalid-seed',
  'invalid-sweep',
  'invalid-filter',
  'invalid-stopping',
  'underdetermined',
  'export-failed',
  'native-module-missing',
  'cancelled',
  'timed-out',
  // transports: a request refused before any handler saw it
  'forbidden',
  'unknown-channel',
  'method',
  // anything else is a bug
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);
export const isErrorCode = (c: unknown): c is ErrorCode => typeof c === 'string' && CODES.has(c);

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** 0-based character offset into the text the user typed, when the problem has a place. */
    readonly position?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The message of anything thrown, for display. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * One error as it crosses a thread, a process or a transport (workers, the export child, IPC,
 * HTTP): the code, the place in the typed text and a refused request's fields survive every hop.
 */
export interface ErrorEnvelope {
  readonly code: ErrorCode;
  readonly message: string;
  /** 0-based character offset into the text the user typed. */
  readonly position?: number;
  /** A refused request's problems by field (paths into the request, e.g. study.sampling.count). */
  readonly fields?: ReadonlyArray<{ readonly path: string; readonly message: string }>;
}

/**
 * Anything thrown, as an envelope: an AppError keeps its code and position; anything else is
 * `fallback` (`internal`, a bug, unless the hop knows better).
 */
export function toEnvelope(err: unknown, fallback: ErrorCode = 'internal'): ErrorEnvelope {
  if (err instanceof AppError)
    return {
      code: err.code,
      message: err.message,
      ...(err.position !== undefined ? { position: err.position } : {}),
    };
  return { code: fallback, message: messageOf(err) };
}

/** The error an envelope carries, thrown again on this side of the hop. */
export function fromEnvelope(e: ErrorEnvelope): AppError {
  return new AppError(isErrorCode(e.code) ? e.code : 'internal', e.message, e.position);
}
