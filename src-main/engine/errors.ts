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
