/**
 * Errors a user can cause and fix (bad expression, empty window, singular mass matrix…).
 * Each has a stable code; the message names the problem in the user's terms.
 */
export class EngineError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
  }
}
