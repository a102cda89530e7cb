/**
 * Per-step records (loss, θ, ∂loss/∂θ), thinned so memory stays bounded: when the buffer is
 * full every other record is dropped and the stride doubles. 10⁶ steps of an 81-parameter model
 * keep at most `capacity` records, not 81·10⁶ numbers.
 */
export interface HistorySnapshot {
  readonly steps: number[];
  readonly loss: number[];
  readonly parameters: number[][];
  readonly gradients: number[][];
  /** Wall-clock time of each record (ms since the Unix epoch); absent in older checkpoints. */
  readonly times?: number[];
  readonly stride: number;
}

export class TrainingHistory {
  private steps: number[] = [];
  private loss: number[] = [];
  private parameters: number[][] = [];
  private gradients: number[][] = [];
  private times: number[] = [];
  private stride = 1;
  /** The last step handed out by `delta()`: records up to it are stored already. */
  private sentUpTo = -1;

  constructor(
    private readonly capacity = 2000,
    from?: HistorySnapshot,
  ) {
    if (capacity < 4) throw new Error('history capacity must be at least 4');
    if (from) {
      this.steps = [...from.steps];
      this.loss = [...from.loss];
      this.parameters = from.parameters.map((p) => [...p]);
      this.gradients = from.gradients.map((g) => [...g]);
      // Records from before times were kept: unknown (NaN), never a made-up time.
      this.times = from.times ? [...from.times] : from.steps.map(() => NaN);
      this.stride = from.stride;
      this.sentUpTo = from.steps.at(-1) ?? -1;
    }
  }

  record(
    step: number,
    loss: number,
    theta: ArrayLike<number>,
    gradient: ArrayLike<number>,
    force = false,
    time = Date.now(),
  ): void {
    if (!force && step % this.stride !== 0) return;
    if (this.steps.length > 0 && this.steps[this.steps.length - 1]! >= step) return;
    this.steps.push(step);
    this.loss.push(loss);
    this.parameters.push(Array.from(theta));
    this.gradients.push(Array.from(gradient));
    this.times.push(time);
    if (this.steps.length >= this.capacity) this.thin();
  }

  private thin(): void {
    this.stride *= 2;
    const keep = (_: unknown, i: number) => this.steps[i]! % this.stride === 0;
    this.loss = this.loss.filter(keep);
    this.parameters = this.parameters.filter(keep);
    this.gradients = this.gradients.filter(keep);
    this.times = this.times.filter(keep);
    this.steps = this.steps.filter(keep);
  }

  /**
   * The records added since the previous delta (with the current stride): what a checkpoint
   * appends to the stored history, so its cost is O(new steps). The store drops its rows off the
   * stride, exactly as `thin()` dropped them here.
   */
  delta(): HistorySnapshot {
    let i = this.steps.length;
    while (i > 0 && this.steps[i - 1]! > this.sentUpTo) i--;
    const d = {
      steps: this.steps.slice(i),
      loss: this.loss.slice(i),
      parameters: this.parameters.slice(i).map((p) => [...p]),
      gradients: this.gradients.slice(i).map((g) => [...g]),
      times: this.times.slice(i),
      stride: this.stride,
    };
    this.sentUpTo = this.steps.at(-1) ?? this.sentUpTo;
    return d;
  }

  get length(): number {
    return this.steps.length;
  }

  snapshot(): HistorySnapshot {
    return {
      steps: [...this.steps],
      loss: [...this.loss],
      parameters: this.parameters.map((p) => [...p]),
      gradients: this.gradients.map((g) => [...g]),
      times: [...this.times],
      stride: this.stride,
    };
  }
}
