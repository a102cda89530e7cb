/** A physical system as data: coordinates, velocities, parameters and L as text. */
export interface SystemDefinition {
  readonly name: string;
  readonly description?: string;
  /** Generalized coordinates, e.g. ['q0', 'q1']. */
  readonly coordinates: readonly string[];
  /** Their velocities, in the same order, e.g. ['qd0', 'qd1']. */
  readonly velocities: readonly string[];
  readonly parameters: ReadonlyArray<{
    readonly name: string;
    readonly value: number;
    readonly description?: string;
  }>;
  /** The Lagrangian in mathjs syntax, e.g. 0.5*m*qd0^2 - 0.5*k*q0^2. */
  readonly lagrangian: string;
}

export type SystemCheck =
  | {
      readonly ok: true;
      readonly parameterNames: string[];
      readonly constantMass: boolean;
      readonly lagrangianText: string;
    }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly position?: number;
    };
