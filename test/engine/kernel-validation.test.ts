import { beforeAll, describe, expect, it, vi } from 'vitest';
import wabtInit from 'wabt';

/*
 * Issue 31.2: every WebAssembly module the engine emits is validated by an independent tool
 * (wabt, the reference toolkit), not only by V8 instantiating it; and a small kernel is kept as
 * readable text, so a change to the emitter shows in review as a change to instructions.
 * Every module passes through assembleModule: recorded here while the kernels are built.
 */
const emitted: Array<{ exportName: string; bytes: Uint8Array }> = [];
vi.mock('../../src-main/engine/wasm/wasm-writer', async (original) => {
  const real = await original<typeof import('../../src-main/engine/wasm/wasm-writer')>();
  return {
    ...real,
    assembleModule: (parts: Parameters<typeof real.assembleModule>[0]) => {
      const bytes = real.assembleModule(parts);
      emitted.push({ exportName: parts.exportName, bytes });
      return bytes;
    },
  };
});

const { compileModel } = await import('../../src-main/engine/models/compile-model');
const { coulombPair, harmonicOscillator, doublePendulum } =
  await import('../../src-main/engine/systems/presets');
const { parseSystem } = await import('../../src-main/engine/systems/system');
const { lossLandscape } = await import('../../src-main/engine/analysis/landscape');
const { createObjective } = await import('../../src-main/engine/training/objective');
const { emitGemm } = await import('../../src-main/engine/wasm/gemm-kernel');
const { samplesOf } = await import('./nonlinear-systems');
const { useBackend } = await import('./helpers');

type Wabt = Awaited<ReturnType<typeof wabtInit>>;
let wabt: Wabt;
beforeAll(async () => {
  await useBackend('wasm');
  wabt = await wabtInit();
});

const FEATURES = {
  simd: true,
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  relaxed_simd: true,
};

/** wabt's reading and validation of a module; its text form. */
function validated(bytes: Uint8Array): string {
  const module = wabt.readWasm(bytes, { readDebugNames: false, ...FEATURES });
  try {
    module.validate();
    return module.toText({ foldExprs: false, inlineExport: false });
  } finally {
    module.destroy();
  }
}

describe('emitted WebAssembly', () => {
  it('every kernel the engine builds (landscape, graph, design, network, GEMM) is valid', () => {
    const mean = { reduction: 'mean' as const };
    // the landscape kernel, float32 and float64
    const data = samplesOf(coulombPair, 64, 1, 1);
    const exact = compileModel({ family: 'exact-form', learnable: ['k', 'alpha'] }, coulombPair);
    for (const precision of ['float32', 'float64'] as const)
      lossLandscape(exact, data, {
        x: { parameter: 'k', min: 3, max: 5, count: 3 },
        y: { parameter: 'alpha', min: 0.5, max: 1.5, count: 3 },
        parameters: parseSystem(coulombPair).parameterValues,
        loss: mean,
        path: 'general',
        precision,
      });
    // the graph route's forward-mode kernel, and the design route of a polynomial
    const fit = (model: ReturnType<typeof compileModel>, route: 'graph' | 'design') => {
      const objective = createObjective(model, data, mean, route, { kernel: 'fused' });
      objective.evaluate(model.initial);
      objective.dispose();
    };
    fit(exact, 'graph');
    fit(compileModel({ family: 'coupling-polynomial', order: 3, k: 4 }, coulombPair), 'design');
    // the network kernels: channel kernels, softplus, GEMM and both heads
    const pendulum = samplesOf(doublePendulum, 32, 1, 1);
    for (const family of ['neural', 'structured-neural'] as const) {
      const model = compileModel(
        { family, hidden: [8, 8], activation: 'softplus', seed: 1 },
        doublePendulum,
      );
      const objective = createObjective(model, pendulum, mean, 'graph', { kernel: 'fused' });
      objective.evaluate(model.initial);
      objective.dispose();
    }
    expect(emitted.length).toBeGreaterThanOrEqual(6);
    const failures: string[] = [];
    for (const m of emitted) {
      try {
        validated(m.bytes);
      } catch (err) {
        failures.push(`${m.exportName}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('wabt refuses a module whose types do not check (the check can fail)', () => {
    validated(emitGemm(8, 'float32'));
    for (const precision of ['float32', 'float64'] as const)
      expect(validated(emitGemm(16, precision, 2, true))).toContain(
        `${precision === 'float32' ? 'f32x4' : 'f64x2'}.relaxed_madd`,
      );
    // a function that returns an f32 where it declares an i32, as binary (unvalidated)
    const text = wabt.parseWat('bad.wat', '(module (func (result i32) (f32.const 1)))');
    const { buffer } = text.toBinary({});
    text.destroy();
    expect(() => validated(buffer)).toThrow(/type mismatch/);
  });

  it('a small landscape kernel as text (the harmonic oscillator, float64)', async () => {
    emitted.length = 0;
    const data = samplesOf(harmonicOscillator, 8, 1, 1);
    const model = compileModel({ family: 'exact-form', learnable: ['m', 'k'] }, harmonicOscillator);
    lossLandscape(model, data, {
      x: { parameter: 'm', min: 0.5, max: 1.5, count: 2 },
      y: { parameter: 'k', min: 0.5, max: 1.5, count: 2 },
      parameters: { m: 1, k: 1 },
      loss: { reduction: 'mean' },
      path: 'general',
      precision: 'float64',
    });
    expect(emitted).toHaveLength(1);
    await expect(validated(emitted[0]!.bytes)).toMatchFileSnapshot(
      './__snapshots__/harmonic-landscape-f64.wat',
    );
  });
});
