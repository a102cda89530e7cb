// W5 of `npm run bench`: one Adam step of the neural families on the double pendulum, the fused
// network kernel against the tfjs tensor route, beside PyTorch's torch.func route of
// bench/torch_reference.py (key W5-<kind>-<width>) with --against-torch.
import { generateDataset } from '../engine/dataset';
import { compileModel } from '../engine/models/compile-model';
import type { ModelSpec } from '../engine/models/model';
import { doublePendulum } from '../engine/systems/presets';
import { createObjective } from '../engine/training/objective';
import { timedAdam } from './bench-measure';
import { networkStepHelper } from '../jobs/network-step-helper';
import type { BenchContext } from './bench-workloads';

/** The workload's name: what torchKey matches (kind and width), then the route. */
export const neuralWorkload = (kind: 'plain' | 'structured', width: number, route: string) =>
  `W5 neural step, ${kind}, (${width}, ${width}), ${route}`;

export async function neuralBench(n: number, c: BenchContext): Promise<void> {
  // q, q̇ uniform in [−1, 1]⁴ (as the PyTorch rows), q̈ of the true double pendulum
  const data = generateDataset({
    system: doublePendulum,
    sampling: {
      window: {
        q: [
          { min: -1, max: 1 },
          { min: -1, max: 1 },
        ],
        qd: [
          { min: -1, max: 1 },
          { min: -1, max: 1 },
        ],
      },
      count: n,
      seed: 1,
    },
  });
  for (const kind of ['plain', 'structured'] as const)
    for (const width of [32, 64]) {
      const spec = {
        family: kind === 'plain' ? 'neural' : 'structured-neural',
        hidden: [width, width],
        activation: 'softplus',
        seed: 1,
      } as ModelSpec;
      const model = compileModel(spec, doublePendulum);
      // tfjs takes seconds a step past 20 000 points: its rows stop there
      for (const [kernel, threads] of [
        ['fused', 2],
        ['fused', 1],
        ...(n <= 20_000 ? [['tensor', 1] as const] : []),
      ] as const) {
        if (kernel === 'tensor') await c.useTensorBackend(c.tensorBackends[0]!);
        // tfjs takes 50–600 ms a step here: fewer steps, one run
        const steps = kernel === 'fused' ? Math.min(c.steps, 200) : n > 2000 ? 5 : 20;
        const objective = createObjective(model, data, { reduction: 'mean' }, 'graph', {
          kernel,
          ...(threads === 2 ? { helper: networkStepHelper } : {}),
        });
        const r = await timedAdam(objective, model.initial, kernel === 'fused' ? c.runs : 1, steps);
        objective.dispose();
        c.push({
          workload: neuralWorkload(
            kind,
            width,
            kernel === 'fused' ? `fused, ${objective.threads ?? 1} thread(s)` : 'tfjs tensors',
          ),
          n: data.n,
          drawn: n,
          backend: kernel === 'fused' ? 'wasm-simd' : c.tensorBackends[0]!,
          precision: 'float32',
          ...c.stats(r.times),
          unit: 'ms/step',
          result: `loss=${r.result.finalLoss.toExponential(4)} after ${steps} steps`,
        });
      }
    }
}
