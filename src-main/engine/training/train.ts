import { EngineError } from '../errors';
import { TrainingHistory, type HistorySnapshot } from './history';
import type { Objective } from './objective';
import {
  initialOptimizerState,
  optimizerStep,
  validateOptimizer,
  type OptimizerState,
} from './optimizers';
import type { OptimizerSpec, StoppingRules } from '../../../src-shared/dto/training';
import type { TrainStatus } from '../../../src-shared/dto/results';

export interface TrainProgress {
  readonly step: number;
  readonly maxSteps: number;
  readonly loss: number;
  readonly parameters: Float64Array;
  readonly elapsedMs: number;
}

export interface TrainControl {
  /**
   * Checked between steps; true ends the run as 'cancelled' (a pause is a cancel that keeps its
   * checkpoint).
   */
  shouldStop?(): boolean;
  onProgress?(p: TrainProgress): void;
  /** Minimum time between progress callbacks. */
  readonly progressIntervalMs?: number;
  /** Yield to the event loop this often so messages (cancel, pause) arrive. */
  readonly yieldIntervalMs?: number;
  /** Called every `checkpointIntervalMs` with what a resume needs (the job layer stores it). */
  onCheckpoint?(c: CheckpointUpdate): void;
  readonly checkpointIntervalMs?: number;
}

/** Everything needed to continue a run exactly where it stopped. */
/**
 * A periodic checkpoint as sent to the store: `history` holds only the records since the previous
 * checkpoint (`TrainingHistory.delta()`), so writing one costs O(new steps), not O(all steps).
 */
export type CheckpointUpdate = TrainCheckpoint;

export interface TrainCheckpoint {
  readonly step: number;
  readonly parameters: number[];
  readonly optimizer: OptimizerState;
  readonly history: HistorySnapshot;
  readonly bestLoss: number;
  readonly bestParameters: number[];
}

export interface TrainResult {
  readonly status: TrainStatus;
  /** e.g. "diverged at step 37: loss 3.2e+14 exceeds 1e6 × the initial loss". */
  readonly message: string;
  readonly steps: number;
  /** Final parameters (the last good ones when diverged). */
  readonly parameters: Float64Array;
  readonly finalLoss: number;
  readonly bestLoss: number;
  readonly bestParameters: Float64Array;
  readonly history: HistorySnapshot;
  readonly checkpoint: TrainCheckpoint;
  readonly elapsedMs: number;
  readonly msPerStep: number;
}

export interface TrainOptions {
  readonly optimizer: OptimizerSpec;
  readonly stopping: StoppingRules;
  readonly initial: Float64Array;
  readonly historyCapacity?: number;
  readonly resumeFrom?: TrainCheckpoint;
  /**
   * The loss of predicting q̈ = 0 on the data: divergence is judged against the larger of it and
   * the initial loss, an absolute scale (a fit started at its optimum, loss 10⁻²⁶, whose first
   * Adam step reaches 10⁻⁹ has not diverged).
   */
  readonly referenceLoss?: number;
}

const now = () => performance.now();

/** How a run ended, and the sentence the user reads. */
interface Ending {
  readonly status: TrainStatus;
  readonly message: string;
}

/**
 * Gradient-based training of θ on an objective; async so a worker can receive cancel between steps.
 */
export async function train(
  objective: Objective,
  options: TrainOptions,
  control: TrainControl = {},
): Promise<TrainResult> {
  const run = new TrainingRun(objective, options);
  const cadence = new Cadence(control, options.stopping.maxSteps);
  let ending: Ending | null = null;
  while (!ending && run.step < options.stopping.maxSteps) {
    if (control.shouldStop?.())
      ending = { status: 'cancelled', message: `cancelled at step ${run.step}` };
    else ending = run.advance();
    if (!ending) await cadence.after(run);
  }
  return run.finish(
    ending ?? { status: 'completed', message: `completed ${options.stopping.maxSteps} steps` },
  );
}

/** A run's state: θ, the optimizer's state, the history, the best and the last good point. */
class TrainingRun {
  readonly theta: Float64Array;
  readonly state: OptimizerState;
  readonly history: TrainingHistory;
  step: number;
  /** The loss of the step just taken (progress reports it). */
  loss = NaN;
  bestLoss: number;
  bestParameters: Float64Array;
  private readonly firstStep: number;
  private readonly start = now();
  private lastGood: Float64Array;
  private lastGoodLoss = NaN;
  private lastGradient: Float64Array;

  constructor(
    private readonly objective: Objective,
    private readonly options: TrainOptions,
  ) {
    checkOptions(objective, options);
    const resume = options.resumeFrom;
    this.theta = Float64Array.from(resume ? resume.parameters : options.initial);
    this.state = resume
      ? structuredClone(resume.optimizer)
      : initialOptimizerState(objective.p, options.optimizer);
    this.history = new TrainingHistory(options.historyCapacity ?? 2000, resume?.history);
    this.bestLoss = resume?.bestLoss ?? Infinity;
    this.bestParameters = Float64Array.from(resume?.bestParameters ?? this.theta);
    this.step = this.firstStep = resume?.step ?? 0;
    this.lastGood = Float64Array.from(this.theta);
    this.lastGradient = new Float64Array(objective.p);
  }

  get elapsedMs(): number {
    return now() - this.start;
  }

  /** Evaluate, record, then step θ; an ending when the run stops here. */
  advance(): Ending | null {
    const { stopping, optimizer } = this.options;
    const { loss, gradient } = this.objective.evaluate(this.theta);
    const diverged = this.divergence(loss, gradient);
    if (diverged) {
      if (this.step === this.firstStep) this.lastGood = Float64Array.from(this.theta);
      return { status: 'diverged', message: diverged };
    }
    this.lastGood = Float64Array.from(this.theta);
    this.lastGoodLoss = this.loss = loss;
    this.lastGradient = gradient;
    if (loss < this.bestLoss)
      [this.bestLoss, this.bestParameters] = [loss, Float64Array.from(this.theta)];
    this.history.record(this.step, loss, this.theta, gradient);
    if (stopping.lossTolerance !== undefined && loss <= stopping.lossTolerance)
      return {
        status: 'converged',
        message: `converged at step ${this.step}: loss ${loss.toExponential(3)} ≤ ${stopping.lossTolerance}`,
      };
    const before = stopping.parameterTolerance !== undefined ? Float64Array.from(this.theta) : null;
    optimizerStep(optimizer, this.state, this.theta, gradient, loss);
    this.step++;
    if (!before) return null;
    // the largest move relative to 1 + |θ_i|
    let moved = 0;
    for (let i = 0; i < this.theta.length; i++)
      moved = Math.max(moved, Math.abs(this.theta[i]! - before[i]!) / (1 + Math.abs(before[i]!)));
    return moved <= stopping.parameterTolerance!
      ? {
          status: 'converged',
          message: `converged at step ${this.step}: parameters moved at most ${moved.toExponential(2)} (tolerance ${stopping.parameterTolerance})`,
        }
      : null;
  }

  /**
   * Why the step diverged (null when it did not): a loss or gradient that is not finite, or a
   * loss past divergenceFactor × the larger of the initial loss and the loss of q̈ = 0.
   */
  private divergence(loss: number, gradient: Float64Array): string | null {
    const initialLoss = this.state.initialLoss ?? loss;
    const bad = !Number.isFinite(loss) || gradient.some((g) => !Number.isFinite(g));
    const scale = Math.max(initialLoss, this.options.referenceLoss ?? 0, Number.MIN_VALUE);
    const factor = this.options.stopping.divergenceFactor ?? 1e6;
    if (!bad && loss <= factor * scale) return null;
    const kept = `kept the parameters of step ${Math.max(this.step - 1, 0)}`;
    if (bad)
      return `diverged at step ${this.step}: the loss or its gradient is not finite (NaN or Inf); ${kept}`;
    const against =
      scale === initialLoss
        ? `the initial loss ${initialLoss.toExponential(3)}`
        : `the loss of predicting q̈ = 0, ${scale.toExponential(3)}`;
    return `diverged at step ${this.step}: loss ${loss.toExponential(3)} exceeds ${factor.toExponential(0)} × ${against}; ${kept}`;
  }

  /** What a resume needs, now. */
  checkpoint(history: HistorySnapshot, parameters = this.theta): TrainCheckpoint {
    return {
      step: this.step,
      parameters: Array.from(parameters),
      optimizer: structuredClone(this.state),
      history,
      bestLoss: this.bestLoss,
      bestParameters: Array.from(this.bestParameters),
    };
  }

  /**
   * The result: a diverged run keeps its last good θ; a completed or cancelled one is evaluated
   * once more after its last update (a converged one was evaluated at its end already).
   */
  finish(ending: Ending): TrainResult {
    const { status } = ending;
    const parameters = status === 'diverged' ? this.lastGood : this.theta;
    let finalLoss = status === 'diverged' ? this.lastGoodLoss : this.loss;
    if (status !== 'diverged' && status !== 'converged') {
      const last = this.objective.evaluate(parameters);
      if (Number.isFinite(last.loss)) {
        finalLoss = last.loss;
        this.lastGradient = last.gradient;
        if (last.loss < this.bestLoss)
          [this.bestLoss, this.bestParameters] = [last.loss, Float64Array.from(parameters)];
      }
    }
    if (Number.isFinite(finalLoss))
      this.history.record(this.step, finalLoss, parameters, this.lastGradient, true);
    const elapsedMs = this.elapsedMs;
    const snapshot = this.history.snapshot();
    return {
      ...ending,
      steps: this.step,
      parameters,
      finalLoss,
      bestLoss: this.bestLoss,
      bestParameters: this.bestParameters,
      history: snapshot,
      checkpoint: { ...this.checkpoint(snapshot, parameters), optimizer: this.state },
      elapsedMs,
      msPerStep: elapsedMs / Math.max(this.step - this.firstStep, 1),
    };
  }
}

/** The step budget and the initial values against the model, before any step. */
function checkOptions(objective: Objective, options: TrainOptions): void {
  validateOptimizer(options.optimizer);
  const { maxSteps } = options.stopping;
  if (!Number.isInteger(maxSteps) || maxSteps < 1)
    throw new EngineError(
      'invalid-stopping',
      `The step budget must be a whole number ≥ 1, not ${maxSteps}`,
    );
  const given = (options.resumeFrom?.parameters ?? options.initial).length;
  if (given !== objective.p)
    throw new EngineError(
      'invalid-model',
      `The model has ${objective.p} parameters but ${given} initial values were given`,
    );
}

/** Between steps: progress at most every 100 ms, checkpoints every 2 s, a yield every 50 ms. */
class Cadence {
  private lastProgress = -Infinity;
  private lastCheckpoint = now();
  private lastYield = now();

  constructor(
    private readonly control: TrainControl,
    private readonly maxSteps: number,
  ) {}

  async after(run: TrainingRun): Promise<void> {
    const c = this.control;
    const t = now();
    if (c.onProgress && t - this.lastProgress >= (c.progressIntervalMs ?? 100)) {
      this.lastProgress = t;
      c.onProgress({
        step: run.step,
        maxSteps: this.maxSteps,
        loss: run.loss,
        parameters: run.theta,
        elapsedMs: run.elapsedMs,
      });
    }
    if (c.onCheckpoint && t - this.lastCheckpoint >= (c.checkpointIntervalMs ?? 2000)) {
      this.lastCheckpoint = t;
      c.onCheckpoint(run.checkpoint(run.history.delta()));
    }
    if (t - this.lastYield >= (c.yieldIntervalMs ?? 50)) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = now();
    }
  }
}
