import { EngineError } from '../errors';
import type { OptimizerSpec } from '../../../src-shared/dto/training';

/** Optimizer state as plain numbers, so a checkpoint can store it and a resume continue exactly. */
export interface OptimizerState {
  step: number;
  first: number[];
  second: number[];
  initialLoss: number | null;
}

export function initialOptimizerState(p: number, spec: OptimizerSpec): OptimizerState {
  const acc = spec.algorithm === 'adagrad' ? (spec.initialAccumulator ?? 0.1) : 0;
  return {
    step: 0,
    first: new Array<number>(p).fill(0),
    second: new Array<number>(p).fill(acc),
    initialLoss: null,
  };
}

export function validateOptimizer(spec: OptimizerSpec): void {
  const known = ['gd', 'momentum', 'adam', 'adagrad', 'rmsprop'];
  if (!known.includes(spec.algorithm))
    throw new EngineError(
      'invalid-optimizer',
      `Unknown optimizer "${String(spec.algorithm)}": choose ${known.join(', ')}`,
    );
  if (!(Number.isFinite(spec.learningRate) && spec.learningRate > 0)) {
    throw new EngineError(
      'invalid-optimizer',
      `The learning rate must be a positive finite number, not ${spec.learningRate}`,
    );
  }
  const s = spec.schedule;
  if (s?.kind === 'step' && !(s.every >= 1 && s.factor > 0))
    throw new EngineError('invalid-optimizer', 'A step schedule needs every ≥ 1 and factor > 0');
  if (s?.kind === 'loss-adaptive' && !(s.power >= 0 && s.maxFactor >= 1))
    throw new EngineError(
      'invalid-optimizer',
      'A loss-adaptive schedule needs power ≥ 0 and maxFactor ≥ 1',
    );
}

/** The learning rate at this step (0-based) and loss. */
export function learningRateAt(spec: OptimizerSpec, state: OptimizerState, loss: number): number {
  const lr = spec.learningRate;
  const s = spec.schedule;
  if (!s || s.kind === 'constant') return lr;
  if (s.kind === 'step') return lr * Math.pow(s.factor, Math.floor(state.step / s.every));
  // lr · min(maxFactor, (loss₀/loss)^power)
  const l0 = state.initialLoss ?? loss;
  const ratio = loss > 0 ? l0 / loss : s.maxFactor;
  return lr * Math.min(s.maxFactor, Math.max(1, Math.pow(ratio, s.power)));
}

/** One update of θ in place (float64). */
export function optimizerStep(
  spec: OptimizerSpec,
  state: OptimizerState,
  theta: Float64Array,
  gradient: Float64Array,
  loss: number,
): void {
  if (state.initialLoss === null) state.initialLoss = loss;
  const lr = learningRateAt(spec, state, loss);
  state.step++;
  const p = theta.length;
  switch (spec.algorithm) {
    case 'gd':
      for (let i = 0; i < p; i++) theta[i] = theta[i]! - lr * gradient[i]!;
      break;
    case 'momentum': {
      // v ← μ v + g;  θ ← θ − lr v  (Nesterov: θ ← θ − lr (g + μ v))
      const mu = spec.momentum ?? 0.9;
      for (let i = 0; i < p; i++) {
        const v = mu * state.first[i]! + gradient[i]!;
        state.first[i] = v;
        theta[i] = theta[i]! - lr * (spec.nesterov ? gradient[i]! + mu * v : v);
      }
      break;
    }
    case 'adam': {
      // m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  θ ← θ − lr m̂/(√v̂ + ε)
      const b1 = spec.beta1 ?? 0.9,
        b2 = spec.beta2 ?? 0.999,
        eps = spec.epsilon ?? 1e-8;
      const c1 = 1 - Math.pow(b1, state.step),
        c2 = 1 - Math.pow(b2, state.step);
      for (let i = 0; i < p; i++) {
        const g = gradient[i]!;
        const m = b1 * state.first[i]! + (1 - b1) * g;
        const v = b2 * state.second[i]! + (1 - b2) * g * g;
        state.first[i] = m;
        state.second[i] = v;
        theta[i] = theta[i]! - (lr * (m / c1)) / (Math.sqrt(v / c2) + eps);
      }
      break;
    }
    case 'adagrad': {
      // G ← G + g²;  θ ← θ − lr g/√(G + ε)
      const eps = spec.epsilon ?? 1e-10;
      for (let i = 0; i < p; i++) {
        const g = gradient[i]!;
        const acc = state.second[i]! + g * g;
        state.second[i] = acc;
        theta[i] = theta[i]! - (lr * g) / Math.sqrt(acc + eps);
      }
      break;
    }
    case 'rmsprop': {
      // s ← ρ s + (1−ρ) g²;  θ ← θ − lr g/√(s + ε)
      const rho = spec.decay ?? 0.9,
        eps = spec.epsilon ?? 1e-8;
      for (let i = 0; i < p; i++) {
        const g = gradient[i]!;
        const acc = rho * state.second[i]! + (1 - rho) * g * g;
        state.second[i] = acc;
        theta[i] = theta[i]! - (lr * g) / Math.sqrt(acc + eps);
      }
      break;
    }
  }
}
