import { beforeAll, describe, expect, it, vi } from 'vitest';

/*
 * Issue 32.8: a kernel V8 refuses to compile (more than 50 000 locals: a large Lagrangian whose
 * slots all mix cell and point) dropped the landscape with raw V8 text. It falls back to the
 * tensor route. V8's refusal is stood in for here (a real one needs a kernel minutes to derive).
 */
vi.mock('../../src-main/engine/wasm/kernel-memory', async (original) => {
  const real = await original<typeof import('../../src-main/engine/wasm/kernel-memory')>();
  return {
    ...real,
    instantiateKernel: () => {
      const err = new Error('WebAssembly.Module(): local count too large @+1234');
      err.name = 'CompileError';
      throw err;
    },
  };
});

const { compileModel } = await import('../../src-main/engine/models/compile-model');
const { coulombPair } = await import('../../src-main/engine/systems/presets');
const { parseSystem } = await import('../../src-main/engine/systems/system');
const { lossLandscape } = await import('../../src-main/engine/analysis/landscape');
const { useBackend } = await import('./helpers');
const { fusedLandscapeRefusal } =
  await import('../../src-main/engine/analysis/fused/fused-landscape');
const { runStudy } = await import('../../src-main/study/run-study');
const { originExactStudy } = await import('./fixtures');
const { samplesOf } = await import('./nonlinear-systems');

beforeAll(async () => {
  await useBackend('wasm');
});

describe('a landscape kernel V8 refuses', () => {
  it('float32: the tensor route computes the same landscape, no V8 text reaches the user', () => {
    const data = samplesOf(coulombPair, 400, 1, 1);
    const model = compileModel({ family: 'exact-form', learnable: ['k', 'alpha'] }, coulombPair);
    const spec = {
      x: { parameter: 'k', min: 3, max: 5, count: 7 },
      y: { parameter: 'alpha', min: 0.5, max: 1.5, count: 5 },
      parameters: parseSystem(coulombPair).parameterValues,
      loss: { reduction: 'mean' as const },
      path: 'general' as const,
    };
    const fallback = lossLandscape(model, data, spec);
    const tensor = lossLandscape(model, data, { ...spec, kernel: 'tensor' });
    expect(Array.from(fallback.loss)).toEqual(Array.from(tensor.loss));
    // and it says which ran, and why (the study stores the kernel and a note)
    expect(fallback.kernel).toBe('tensor');
    expect(fallback.why).toMatch(/V8 could not build the fused kernel \(.*local count too large/);
    // float64 has no tensor route (tfjs is float32): refused in words
    expect(() => lossLandscape(model, data, { ...spec, precision: 'float64' })).toThrow(
      /float64 general landscape needs the fused kernel/,
    );
  });

  it('float64: a study asking for it is refused before training, saying why and what to choose', async () => {
    const model = compileModel({ family: 'exact-form', learnable: ['k', 'alpha'] }, coulombPair);
    const axes = {
      x: { parameter: 'k', min: 3, max: 5, count: 7 },
      y: { parameter: 'alpha', min: 0.5, max: 1.5, count: 5 },
      loss: { reduction: 'mean' as const },
    };
    expect(fusedLandscapeRefusal(model, axes, 400, 'float64')).toMatch(
      /^V8 could not build the kernel \(.*local count too large/,
    );
    const phases: string[] = [];
    const study = {
      ...originExactStudy(50, 200),
      landscape: { x: axes.x, y: axes.y, path: 'general' as const, precision: 'float64' as const },
    };
    await expect(runStudy(study, { onPhase: (p) => phases.push(p) })).rejects.toThrow(
      /landscape\.precision: a float64 landscape runs only on the fused kernel, and V8 could not build the kernel .*; choose float32/,
    );
    expect(phases).not.toContain('training');
  });
});
