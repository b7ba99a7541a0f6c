import { Worker } from 'node:worker_threads';
import { AppError } from '@kindling/errors';
import { createBlockScorer, type ScoringPlan } from './block-scorer.js';
import { blockRows, copyBlock, scoreBlock } from './scoring-kernel.js';

/**
 * Scoring on several threads, still a synchronous call. The calling thread owns the matrix (its
 * columns are ordinary, unshared memory), so it copies each block into a shared buffer for an idle
 * worker, or scores the block itself when no worker is free; workers wait on Atomics, never on the
 * event loop, which the caller keeps busy. Every block is scored by the same block scorer as on one
 * thread (base score first, then the trees in the plan's order), so the result is bit for bit the same.
 *
 * Workers build their block scorer from source text (`createBlockScorer` and `scoreBlock` refer to
 * nothing outside themselves): tests run this package from TypeScript source and the build from
 * dist/, and there is no worker file that would exist in both.
 */

/** Control words per worker, in one Int32Array on a SharedArrayBuffer. */
const posted = 0; // sequence number of the last block handed to the worker
const finished = 1; // sequence number of the last block the worker finished
const rowsWord = 2; // rows in the posted block
const ready = 3; // 1 once the worker runs

const workerSource = `
const { workerData } = require('node:worker_threads');
const scoreBlock = (${scoreBlock.toString()});
const createBlockScorer = (${createBlockScorer.toString()});
const { plan, control, block, out, baseScore } = workerData;
const scorer = createBlockScorer(plan, scoreBlock);
Atomics.store(control, ${String(ready)}, 1);
Atomics.notify(control, ${String(ready)});
let seen = 0;
for (;;) {
  Atomics.wait(control, ${String(posted)}, seen);
  seen = Atomics.load(control, ${String(posted)});
  const rows = Atomics.load(control, ${String(rowsWord)});
  scorer.block.set(block);
  out.fill(baseScore, 0, rows);
  scorer.score(rows, out, 0);
  Atomics.store(control, ${String(finished)}, seen);
  Atomics.notify(control, ${String(finished)});
}
`;

interface Lane {
  readonly worker: Worker;
  readonly control: Int32Array;
  readonly block: Float64Array;
  readonly out: Float64Array;
  /** Where the block in flight goes in the caller's output; -1 when none is. */
  start: number;
}

function createLane(plan: ScoringPlan, featureCount: number, baseScore: number): Lane {
  const control = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  const block = new Float64Array(new SharedArrayBuffer(Math.max(1, featureCount) * blockRows * Float64Array.BYTES_PER_ELEMENT));
  const out = new Float64Array(new SharedArrayBuffer(blockRows * Float64Array.BYTES_PER_ELEMENT));
  const worker = new Worker(workerSource, { eval: true, workerData: { plan, control, block, out, baseScore } });
  worker.unref();
  return { worker, control, block, out, start: -1 };
}

/** How long the caller waits for workers to start before scoring on without them. */
const startupWaitMs = 2000;

/**
 * Waits (bounded) until every worker runs. Scoring without waiting would start sooner, but the
 * caller would take every block until a worker turned up, and on a busy machine that can be all of them.
 */
function awaitWorkers(lanes: readonly Lane[]): void {
  const deadline = performance.now() + startupWaitMs;
  for (const lane of lanes) {
    const remaining = deadline - performance.now();
    if (remaining > 0) Atomics.wait(lane.control, ready, 0, remaining);
  }
}

function isIdle(lane: Lane): boolean {
  return Atomics.load(lane.control, ready) === 1 && Atomics.load(lane.control, finished) === Atomics.load(lane.control, posted);
}

/** Waits for the lane's block in flight and copies its scores out. */
function collect(lane: Lane, out: Float64Array): void {
  if (lane.start < 0) return;
  const expected = Atomics.load(lane.control, posted);
  for (let done = Atomics.load(lane.control, finished); done !== expected; done = Atomics.load(lane.control, finished)) {
    // A bounded wait, so that a worker that died (threadId -1) is noticed instead of waited on forever.
    Atomics.wait(lane.control, finished, done, 100);
    if (lane.worker.threadId === -1 && Atomics.load(lane.control, finished) !== expected) {
      throw new AppError('INTERNAL', 'a scoring worker thread stopped before finishing its rows');
    }
  }
  const rows = Atomics.load(lane.control, rowsWord);
  out.set(lane.out.subarray(0, rows), lane.start);
  lane.start = -1;
}

function post(lane: Lane, start: number, rows: number): void {
  lane.start = start;
  Atomics.store(lane.control, rowsWord, rows);
  Atomics.add(lane.control, posted, 1);
  Atomics.notify(lane.control, posted);
}

/**
 * Scores all rows with up to `threads` threads (the caller's and `threads - 1` workers) into `out`,
 * which holds the base score already.
 */
export function scoreInParallel(plan: ScoringPlan, columns: readonly Float64Array[], rowCount: number, out: Float64Array, baseScore: number, threads: number): void {
  const lanes = Array.from({ length: threads - 1 }, () => createLane(plan, columns.length, baseScore));
  try {
    awaitWorkers(lanes);
    const own = createBlockScorer(plan, scoreBlock);
    for (let start = 0; start < rowCount; start += blockRows) {
      const end = Math.min(start + blockRows, rowCount);
      const lane = lanes.find(isIdle);
      if (lane === undefined) {
        copyBlock(columns, start, end, own.block);
        own.score(end - start, out, start);
      } else {
        collect(lane, out);
        copyBlock(columns, start, end, lane.block);
        post(lane, start, end - start);
      }
    }
    for (const lane of lanes) collect(lane, out);
  } finally {
    for (const lane of lanes) void lane.worker.terminate();
  }
}
