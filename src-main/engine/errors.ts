import { AppError, type ErrorCode } from '../../src-shared/errors';

/**
 * Errors a user can cause and fix (bad expression, empty window, singular mass matrix…).
 * Each has a stable code; the message names the problem in the user's terms.
 */
export class EngineError extends AppError {
  constructor(code: ErrorCode, message: string, position?: number) {
    super(code, message, position);
    this.name = 'EngineError';
  }
}

/** Asked between units of work (rows, steps): true when the user pressed Cancel or Pause. */
export type StopCheck = () => boolean;

/** End the current computation at once when a stop was requested. */
export function throwIfStopped(shouldStop: StopCheck | undefined, what: string): void {
  if (shouldStop?.()) throw new EngineError('cancelled', `${what} was stopped`);
}
