import { z } from 'zod';

/**
 * The float type of a computation's lanes: float32 (the report's route, four SIMD lanes) or
 * float64 (exact to rounding, two lanes). Said once here for the study format, the results and
 * the kernels.
 */
export const precisionSchema = z.enum(['float32', 'float64']);
export type Precision = z.infer<typeof precisionSchema>;
export const PRECISIONS = precisionSchema.options;
/** The default of every path that offers both: the report's float32. */
export const DEFAULT_PRECISION: Precision = 'float32';
