import type { FunctionName } from '../expression/ir';
import { FUNCTIONS } from '../expression/functions';

/**
 * Host functions a kernel may call lane by lane: the elementary functions (those WebAssembly has
 * an instruction for, abs and sqrt, are emitted as that instruction instead) and pow.
 */
export type HostFunction = FunctionName | 'pow';

const host = (f: HostFunction): ((...x: number[]) => number) =>
  f === 'pow' ? Math.pow : FUNCTIONS[f].value;

/** The `env` imports of a kernel: its memory and its host functions as env.f0, env.f1, … */
export function kernelImports(
  memory: unknown,
  functions: readonly HostFunction[],
): Record<string, Record<string, unknown>> {
  const env: Record<string, unknown> = { memory };
  functions.forEach((f, i) => (env[`f${i}`] = host(f)));
  return { env };
}
