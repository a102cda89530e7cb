import type { FunctionName } from '../expression/ir';

/** Host functions a kernel may call lane by lane (what WebAssembly has no instruction for). */
export type HostFunction = Exclude<FunctionName, 'abs' | 'sqrt'> | 'pow';

const HOST: Record<HostFunction, (...x: number[]) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  exp: Math.exp,
  log: Math.log,
  sign: Math.sign,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  pow: Math.pow,
};

/** The `env` imports of a kernel: its memory and its host functions as env.f0, env.f1, … */
export function kernelImports(
  memory: unknown,
  functions: readonly HostFunction[],
): Record<string, Record<string, unknown>> {
  const env: Record<string, unknown> = { memory };
  functions.forEach((f, i) => (env[`f${i}`] = HOST[f]));
  return { env };
}
