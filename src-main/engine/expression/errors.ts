import { EngineError } from '../errors';

/** Every way a user's Lagrangian can be wrong, each with a stable code the UI and docs name. */
export type ExpressionErrorCode =
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
  | 'invalid-system';

export class ExpressionError extends EngineError {
  declare readonly code: ExpressionErrorCode;
  constructor(code: ExpressionErrorCode, message: string, position?: number) {
    super(
      code,
      position === undefined ? message : `${message} (at character ${position + 1})`,
      position,
    );
    this.name = 'ExpressionError';
  }
}
