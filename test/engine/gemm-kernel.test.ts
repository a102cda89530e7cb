// The SIMD matrix product under the network kernels against a plain triple loop in float64, for
// both precisions, row counts around the 3-row block, column counts around the panel and the
// three ways the MLP's passes address A (row-major, down its columns, accumulating); with a
// multiply and an add, and with relaxed SIMD's fused multiply-add.
import { describe, expect, it } from 'vitest';
import { Gemm } from '../../src-main/engine/wasm/gemm-kernel';
import { LANES } from '../../src-main/engine/wasm/lanes';
import type { Precision } from '../../src-shared/dto/precision';
import { wasm } from '../../src-main/engine/wasm/wasm-runtime';
import { uniforms } from './helpers';
import { relaxedMaddAvailable } from '../../src-main/engine/wasm/relaxed-simd';

describe('the GEMM kernel', () => {
  it.skipIf(process.env.LAGRANGE_RELAXED_SIMD === '0')(
    'has the fused multiply-add of relaxed SIMD here (Node 20: switched on by its V8 flag)',
    () => {
      expect(relaxedMaddAvailable()).toBe(true);
    },
  );
  for (const fma of [false, true])
    for (const precision of ['float32', 'float64'] as Precision[])
      for (const [rows, inner, columns] of [
        [1, 1, 4],
        [5, 3, 40],
        [7, 32, 16],
        [36, 17, 36],
        [64, 64, 68],
      ] as const)
        for (const transposed of [false, true])
          it(`${precision}${fma ? ', fused multiply-add' : ''}: ${rows}×${inner} · ${inner}×${columns}${transposed ? ', A read down its columns, accumulated' : ''}`, () => {
            const lanes = LANES[precision];
            const e = lanes.bytes;
            const memory = new wasm.Memory({ initial: 16 });
            const view = lanes.view(memory.buffer);
            const A = 0;
            const B = 64 * 1024;
            const C = 2 * 64 * 1024;
            const a = uniforms(1, rows * inner, -1, 1);
            const b = uniforms(2, inner * columns, -1, 1);
            const c0 = uniforms(3, rows * columns, -1, 1);
            // A(i, t) at i·aRow + t·aInner: row-major, or stored transposed (inner × rows)
            const [aRow, aInner]: [number, number] = transposed ? [1, rows] : [inner, 1];
            for (let i = 0; i < rows; i++)
              for (let t = 0; t < inner; t++)
                view[A / e + i * aRow + t * aInner] = a[i * inner + t]!;
            view.set(b, B / e);
            view.set(c0, C / e);
            new Gemm(memory, precision, fma).product(
              { at: A, rowStride: aRow * e, columnStride: aInner * e },
              { at: B, rowStride: columns * e },
              { at: C, rowStride: columns * e },
              rows,
              inner,
              columns,
              transposed,
            );
            const round = (x: number) => (precision === 'float32' ? Math.fround(x) : x);
            for (let i = 0; i < rows; i++)
              for (let j = 0; j < columns; j++) {
                let sum = transposed ? round(c0[i * columns + j]!) : 0;
                for (let t = 0; t < inner; t++)
                  sum += round(a[i * inner + t]!) * round(b[t * columns + j]!);
                const tolerance = (precision === 'float32' ? 1e-6 : 1e-14) * (inner + 1);
                expect(Math.abs(view[C / e + i * columns + j]! - sum)).toBeLessThan(tolerance);
              }
          });
});
