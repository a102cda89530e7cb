import { describe, expect, it } from 'vitest';
import { compileProgram } from '../../src-main/engine/expression/program';
import { createWorkspace, evaluateF64 } from '../../src-main/engine/expression/evaluate-f64';
import { parseExpression } from '../../src-main/engine/expression/parse';

/*
 * Issue 32.4: the float64 evaluator kept one array per instruction (a 4.8 kB Lagrangian on 20 000
 * points: 6.6 GB). With register reuse it holds only the arrays alive at once.
 */
describe('the float64 evaluator reuses its arrays', () => {
  const terms = Array.from({ length: 200 }, (_, k) => `sin(${k + 1}*q0)*cos(q1 + ${k})`);
  const expr = parseExpression(terms.join(' + '), ['q0', 'q1']);
  const program = compileProgram([expr], ['q0', 'q1']);
  const n = 5000;
  const q0 = Float64Array.from({ length: n }, (_, i) => -1 + (2 * i) / n);
  const q1 = Float64Array.from({ length: n }, (_, i) => Math.sin(i));

  it('gives the same values as a direct sum, holding a handful of arrays for ~1000 instructions', () => {
    const workspace = createWorkspace();
    const [value] = evaluateF64(program, { q0, q1 }, n, workspace) as [Float64Array];
    for (let i = 0; i < n; i += 97) {
      let direct = 0;
      for (let k = 0; k < 200; k++) direct += Math.sin((k + 1) * q0[i]!) * Math.cos(q1[i]! + k);
      expect(value[i]).toBeCloseTo(direct, 10);
    }
    expect(program.instructions.length).toBeGreaterThan(800);
    const arrays = workspace.pool.length + workspace.lent.length;
    const first = value[123]; // outputs are the caller's until the next call
    expect(arrays).toBeLessThanOrEqual(6);
    // a second call reuses them: the same values, no more arrays
    const [again] = evaluateF64(program, { q0, q1 }, n, workspace) as [Float64Array];
    expect(again[123]).toBe(first);
    expect(workspace.pool.length + workspace.lent.length).toBe(arrays);
  });
});
