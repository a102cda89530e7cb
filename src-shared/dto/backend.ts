/** The compute backends in order of preference, and how to load each. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendAttempt {
  readonly backend: BackendName;
  readonly module: string;
  readonly ok: boolean;
  /** Why it was not used, e.g. "@tensorflow/tfjs-node-gpu: not installed". */
  readonly reason?: string;
}

export interface BackendReport {
  readonly active: BackendName;
  readonly attempts: readonly BackendAttempt[];
  /** One line for logs and the UI's status bar. */
  readonly summary: string;
}
