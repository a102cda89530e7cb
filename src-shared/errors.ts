/*
 * One base for every error a user can cause and fix. The API maps errors by `code` alone, so a
 * new module's errors need no change in the transport: throw an AppError (or a subclass).
 * docs/reliability.md lists the codes.
 */
export type ErrorCode =
  // requests and paths
  | 'invalid-request'
  | 'invalid-study'
  | 'not-found'
  | 'bad-path'
  | 'too-large'
  | 'read-only'
  | 'unavailable'
  | 'unauthorized'
  | 'run-active'
  | 'no-project'
  // project files
  | 'not-a-database'
  | 'not-a-project'
  | 'newer-schema'
  | 'corrupt'
  | 'missing'
  | 'locked'
  // expressions
  | 'empty'
  | 'too-long'
  | 'too-deep'
  | 'too-complex'
  | 'syntax'
  | 'unknown-symbol'
  | 'unknown-function'
  | 'unsupported'
  | 'invalid-number'
  | 'overflow'
  | 'no-velocity'
  | 'singular-mass'
  | 'not-finite'
  | 'no-convergence'
  | 'invalid-system'
  // engine settings
  | 'empty-window'
  | 'invalid-window'
  | 'zero-width-window'
  | 'invalid-count'
  | 'invalid-csv'
  | 'invalid-grid'
  | 'invalid-landscape'
  | 'invalid-model'
  | 'invalid-optimizer'
  | 'invalid-rollout'
  | 'invalid-route'
  | 'invalid-seed'
  | 'invalid-sweep'
  | 'invalid-filter'
  | 'invalid-stopping'
  | 'underdetermined'
  | 'export-failed'
  | 'native-module-missing'
  | 'cancelled'
  | 'timed-out'
  // anything else is a bug
  | 'internal';

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
