import type { MessagePort } from 'node:worker_threads';
import type { GrownTree } from './cart.js';
import type { FlatForest } from './flat-forest.js';
import type { ForestSettings } from './grow-forest.js';

/** What a worker grows trees from: the binned features and labels (shared memory) and settings. */
export interface GrowData {
  n: number;
  width: number;
  /** Row-major bins on a SharedArrayBuffer. */
  bins: Uint16Array;
  binMin: Float64Array[];
  binMax: Float64Array[];
  binCount: Int32Array;
  exact: boolean;
  /** Labels on a SharedArrayBuffer. */
  labels: Uint8Array;
  settings: ForestSettings;
}

/** A forest's flat arrays on SharedArrayBuffers, for prediction on workers. */
export type SharedForest = FlatForest;

/** A message to a worker. `job` ties tasks to the setup they belong to. */
export type Task =
  | { type: 'grow-setup'; job: number; data: GrowData }
  | { type: 'grow'; job: number; index: number; seed: number }
  | { type: 'predict-setup'; job: number; forest: SharedForest }
  | {
      type: 'predict';
      job: number;
      index: number;
      /** Row-major rows × columns on a SharedArrayBuffer, and where the probabilities go. */
      features: Float64Array;
      rows: number;
      columns: number;
      out: Float64Array;
    };

/** A worker's answer to a task. */
export type Reply =
  | { type: 'tree'; job: number; index: number; tree: GrownTree }
  | { type: 'predicted'; job: number; index: number }
  | { type: 'error'; job: number; message: string; stack?: string };

/** What a worker starts with. */
export interface WorkerStart {
  port: MessagePort;
  /** Incremented (and notified) after every reply, so the main thread can sleep until one. */
  signal: Int32Array;
}
