import { Worker } from 'node:worker_threads';
import type { BinnedMatrix } from './binning.js';
import {
  accumulateContiguous,
  accumulateFeatureRange,
  accumulateFourContiguous,
  accumulateFourIndexed,
  accumulateIndexed,
  buildHistogram,
  createHistogram,
  histogramStride,
  orderGradients,
  type HistogramLayout,
  type HistogramScratch,
  type NodeRows,
} from './histogram.js';

/**
 * Builds node histograms and owns their buffers. With `threads` > 1 the features of a large
 * node are split between this thread and worker threads that read the same binned columns,
 * gradients and row partition through SharedArrayBuffers and write disjoint parts of the same
 * histogram, so the result is bit-identical to the single-threaded build.
 */
export interface HistogramBuilder {
  acquire(): Float64Array;
  release(histogram: Float64Array): void;
  /** As buildHistogram; `gradients`/`hessians` are the arrays given at creation, `node.rows` the partition (or null). */
  build(target: Float64Array, features: Int32Array, node: NodeRows): void;
  /** Whether worker threads are running (threads > 1 and everything they read is shared). */
  readonly parallel: boolean;
  close(): void;
}

export interface HistogramBuilderInput {
  readonly binned: BinnedMatrix;
  readonly layout: HistogramLayout;
  readonly gradients: Float64Array;
  readonly hessians: Float64Array;
  readonly scratch: HistogramScratch;
  /** The grower's row partition (node rows are slices of it). */
  readonly partition: Uint32Array;
  /** Most histograms alive at once (the grower needs maxLeaves). */
  readonly capacity: number;
  readonly threads: number;
}

/** Below this many (row, feature) updates a node is built on one thread: waking a worker costs more. */
const minimumParallelWork = 200_000;
/** Shared histograms beyond this size (huge maxLeaves) fall back to private ones, built on one thread. */
const maximumArenaBytes = 512 * 1024 * 1024;

export function createHistogramBuilder(input: HistogramBuilderInput): HistogramBuilder {
  const worthThreads = input.threads > 1 && input.binned.rowCount * input.binned.columns.length >= minimumParallelWork;
  const workers = worthThreads ? startWorkers(input) : null;
  const histogramLength = input.layout.slotCount * histogramStride;
  const free: Float64Array[] = [];
  let arenaUsed = 0;
  const acquire = (): Float64Array => {
    const reused = free.pop();
    if (reused !== undefined) return reused;
    if (workers !== null && (arenaUsed + 1) * histogramLength * Float64Array.BYTES_PER_ELEMENT <= workers.arena.byteLength) {
      const histogram = new Float64Array(workers.arena, arenaUsed * histogramLength * Float64Array.BYTES_PER_ELEMENT, histogramLength);
      arenaUsed += 1;
      return histogram;
    }
    return createHistogram(input.layout);
  };
  const build = (target: Float64Array, features: Int32Array, node: NodeRows): void => {
    const count = node.rows === null ? node.end : node.end - node.start;
    const shared = workers !== null && target.buffer === workers.arena && (node.rows === null || (node.rows.buffer === input.partition.buffer && node.rows.byteOffset === input.partition.byteOffset));
    if (!shared || count * features.length < minimumParallelWork || features.length < 2) {
      buildHistogram(target, input.layout, input.binned, features, node, input.gradients, input.hessians, input.scratch);
      return;
    }
    workers.build(target, features, node, count);
  };
  return {
    acquire,
    release: (histogram) => free.push(histogram),
    build,
    parallel: workers !== null,
    close: () => workers?.close(),
  };
}

/** Whether everything the workers must read lives in shared memory. */
function shareable(input: HistogramBuilderInput): boolean {
  const arrays = [input.gradients, input.hessians, input.scratch.gradients, input.scratch.hessians, input.partition, ...input.binned.columns];
  return arrays.every((array) => array.buffer instanceof SharedArrayBuffer);
}

// Control words shared with the workers.
const REQUEST = 0;
const TARGET = 1;
const ROWS_MODE = 2;
const START = 3;
const COUNT = 4;
const EXIT = 5;
const CONTROL_WORDS = 6;
// Per worker: [from, to, done, ready].
const WORKER_WORDS = 4;

interface Workers {
  readonly arena: SharedArrayBuffer;
  build(target: Float64Array, features: Int32Array, node: NodeRows, count: number): void;
  close(): void;
}

function startWorkers(input: HistogramBuilderInput): Workers | null {
  if (!shareable(input)) return null;
  const workerCount = input.threads - 1;
  const histogramBytes = input.layout.slotCount * histogramStride * Float64Array.BYTES_PER_ELEMENT;
  const arena = new SharedArrayBuffer(histogramBytes * Math.max(1, Math.min(input.capacity, Math.floor(maximumArenaBytes / histogramBytes))));
  const control = new Int32Array(new SharedArrayBuffer((CONTROL_WORDS + WORKER_WORDS * workerCount) * 4));
  const featureList = new Int32Array(new SharedArrayBuffer(input.binned.columns.length * 4));
  const workerData = {
    control: control.buffer,
    features: featureList.buffer,
    arena,
    columns: input.binned.columns.map((column) => ({ buffer: column.buffer, offset: column.byteOffset, length: column.length })),
    offsets: input.layout.offsets,
    histogramLength: input.layout.slotCount * histogramStride,
    gradients: [input.gradients.buffer, input.hessians.buffer],
    scratch: [input.scratch.gradients.buffer, input.scratch.hessians.buffer],
    partition: input.partition.buffer,
  };
  const threads: Worker[] = [];
  for (let w = 0; w < workerCount; w++) {
    const worker = new Worker(workerSource(), { eval: true, workerData: { ...workerData, index: w } });
    worker.unref();
    threads.push(worker);
  }
  const slot = (w: number, word: number): number => CONTROL_WORDS + w * WORKER_WORDS + word;
  // A worker that cannot start (no threads allowed, a broken runtime) must not hang training.
  for (let w = 0; w < workerCount; w++) {
    if (Atomics.wait(control, slot(w, 3), 0, 10_000) === 'timed-out' && Atomics.load(control, slot(w, 3)) === 0) {
      for (const thread of threads) void thread.terminate();
      return null;
    }
  }
  let request = 0;
  return {
    arena,
    build(target, features, node, count) {
      target.fill(0);
      const ordered = orderGradients(node, input.gradients, input.hessians, input.scratch);
      featureList.set(features);
      const parts = workerCount + 1;
      // Split points on multiples of four keep every part on the four-feature kernel.
      const cut = (part: number): number => (part === parts ? features.length : Math.min(features.length, 4 * Math.round((features.length * part) / parts / 4)));
      for (let w = 0; w < workerCount; w++) {
        control[slot(w, 0)] = cut(w + 1);
        control[slot(w, 1)] = cut(w + 2);
      }
      control[TARGET] = target.byteOffset / Float64Array.BYTES_PER_ELEMENT;
      control[ROWS_MODE] = node.rows === null ? 0 : 1;
      control[START] = node.start;
      control[COUNT] = count;
      request += 1;
      Atomics.store(control, REQUEST, request);
      Atomics.notify(control, REQUEST);
      accumulateFeatureRange(target, input.binned.columns, input.layout.offsets, featureList, 0, cut(1), node.rows, node.start, count, ordered.gradients, ordered.hessians);
      for (let w = 0; w < workerCount; w++) {
        const done = slot(w, 2);
        for (let seen = Atomics.load(control, done); seen !== request; seen = Atomics.load(control, done)) Atomics.wait(control, done, seen);
      }
    },
    close() {
      Atomics.store(control, EXIT, 1);
      Atomics.add(control, REQUEST, 1);
      Atomics.notify(control, REQUEST);
    },
  };
}

/**
 * The worker program: the histogram kernels' own source text plus a loop that waits for a
 * request, builds its share of features and reports done. Built from the functions themselves so
 * that the worker runs exactly the code the single-threaded path runs, from src (vitest) and dist.
 */
function workerSource(): string {
  const kernels = [accumulateFeatureRange, accumulateFourContiguous, accumulateFourIndexed, accumulateContiguous, accumulateIndexed].map(String).join('\n');
  return `${kernels}
const { workerData } = require('node:worker_threads');
const d = workerData;
const control = new Int32Array(d.control);
const features = new Int32Array(d.features);
const columns = d.columns.map((c) => new Uint8Array(c.buffer, c.offset, c.length));
const gradients = new Float64Array(d.gradients[0]);
const hessians = new Float64Array(d.gradients[1]);
const orderedGradients = new Float64Array(d.scratch[0]);
const orderedHessians = new Float64Array(d.scratch[1]);
const partition = new Uint32Array(d.partition);
const base = ${String(CONTROL_WORDS)} + d.index * ${String(WORKER_WORDS)};
let seen = 0;
Atomics.store(control, base + 3, 1);
Atomics.notify(control, base + 3);
for (;;) {
  Atomics.wait(control, ${String(REQUEST)}, seen);
  seen = Atomics.load(control, ${String(REQUEST)});
  if (Atomics.load(control, ${String(EXIT)}) === 1) break;
  const target = new Float64Array(d.arena, control[${String(TARGET)}] * 8, d.histogramLength);
  const byRows = control[${String(ROWS_MODE)}] === 1;
  accumulateFeatureRange(target, columns, d.offsets, features, control[base], control[base + 1], byRows ? partition : null,
    control[${String(START)}], control[${String(COUNT)}], byRows ? orderedGradients : gradients, byRows ? orderedHessians : hessians);
  Atomics.store(control, base + 2, seen);
  Atomics.notify(control, base + 2);
}
`;
}
