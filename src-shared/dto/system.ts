import { z } from 'zod';

/** A coordinate, velocity or parameter name: it becomes a symbol in L and a column name. */
export const identifierSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]{0,31}$/,
    'a name is a letter then letters, digits or _ (at most 32)',
  );

/** A physical system as data: coordinates, velocities, parameters and L as text. */
export const systemSchema = z
  .object({
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    /** Generalized coordinates, e.g. ['q0', 'q1']. */
    coordinates: z.array(identifierSchema).min(1).max(8),
    /** Their velocities, in the same order, e.g. ['qd0', 'qd1']. */
    velocities: z.array(identifierSchema).min(1).max(8),
    parameters: z
      .array(
        z
          .object({
            name: identifierSchema,
            value: z.number().finite(),
            description: z.string().max(500).optional(),
          })
          .strict(),
      )
      .max(64),
    /** The Lagrangian in mathjs syntax, e.g. 0.5*m*qd0^2 - 0.5*k*q0^2. */
    lagrangian: z.string().max(20000),
  })
  .strict();
export type SystemDefinition = z.infer<typeof systemSchema>;

/**
 * A system that checks: its parameters and whether its mass matrix is constant. One that does
 * not is refused with an error (code, message, the position in L), like every other request.
 */
export interface SystemCheck {
  readonly parameterNames: string[];
  readonly constantMass: boolean;
  readonly lagrangianText: string;
}
