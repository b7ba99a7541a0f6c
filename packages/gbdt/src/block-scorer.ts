import { blockRows, packEnsemble, type PackedEnsemble, type scoreBlock } from './scoring-kernel.js';
import type { TreeEnsemble } from './tree-model.js';
import { wasmKernelBytes, wasmTreeImage } from './wasm-kernel.js';

/**
 * How one thread scores a block of rows: the trees whose splits are all numeric go to the
 * WebAssembly kernel (wasm-kernel.ts), the rest (with categorical splits) to the JavaScript kernel
 * (scoring-kernel.ts); both read the same block in the instance's memory. For each row the numeric
 * trees' leaf values are added first, in model order, then the others, in model order: the same
 * order on every thread, so results never depend on how rows were shared out.
 *
 * A plan holds only data (typed arrays and numbers), so it can be handed to worker threads.
 */
export interface ScoringPlan {
  readonly wasm: Uint8Array;
  /** Tree table and nodes of the numeric trees, copied to address 0 of the kernel's memory. */
  readonly image: Uint8Array;
  readonly wasmTreeCount: number;
  readonly blockStart: number;
  readonly outputStart: number;
  readonly memoryBytes: number;
  readonly featureCount: number;
  readonly blockRows: number;
  /** The trees the WebAssembly kernel cannot score, packed for scoreBlock; null when there are none. */
  readonly general: PackedEnsemble | null;
}

let kernelBytes: Uint8Array | undefined;

export function createScoringPlan(model: TreeEnsemble): ScoringPlan {
  kernelBytes ??= wasmKernelBytes();
  const numeric = model.trees.filter((tree) => tree.categoryOffset.every((offset) => offset < 0));
  const general = model.trees.filter((tree) => tree.categoryOffset.some((offset) => offset >= 0));
  const nodeBytes = 8 * numeric.length + 32 * numeric.reduce((sum, tree) => sum + tree.splitFeature.length, 0);
  const blockStart = Math.ceil(nodeBytes / 8) * 8;
  const featureCount = model.features.length;
  const outputStart = blockStart + Math.max(1, featureCount) * blockRows * 8;
  return {
    wasm: kernelBytes,
    image: wasmTreeImage(numeric, blockStart, blockRows),
    wasmTreeCount: numeric.length,
    blockStart,
    outputStart,
    memoryBytes: outputStart + blockRows * 8,
    featureCount,
    blockRows,
    general: general.length === 0 ? null : packEnsemble(general),
  };
}

interface WebAssemblyApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object) => { readonly exports: Readonly<Record<string, unknown>> };
}

export interface BlockScorer {
  /** Where the block's rows go before `score`: column f at `f * blockRows`. */
  readonly block: Float64Array;
  /** Adds every tree's output for the first `rows` rows of the block to `out` from `outStart`. */
  score(rows: number, out: Float64Array, outStart: number): void;
}

/**
 * A scorer with its own WebAssembly instance. Self-contained on purpose (worker threads build it
 * from its source text), so the JavaScript kernel is passed in rather than imported.
 */
export function createBlockScorer(plan: ScoringPlan, kernel: typeof scoreBlock): BlockScorer {
  // Node 20's type definitions do not describe WebAssembly, so the little used here is typed locally.
  const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
  const instance = new wasm.Instance(new wasm.Module(plan.wasm));
  const memory = instance.exports['memory'] as { readonly buffer: ArrayBuffer; grow(pages: number): number };
  const score = instance.exports['score'] as (treeTable: number, treeCount: number, rows: number, output: number) => void;
  const pageBytes = 65536;
  const missingPages = Math.ceil(plan.memoryBytes / pageBytes) - memory.buffer.byteLength / pageBytes;
  if (missingPages > 0) memory.grow(missingPages);
  new Uint8Array(memory.buffer).set(plan.image, 0);
  const block = new Float64Array(memory.buffer, plan.blockStart, Math.max(1, plan.featureCount) * plan.blockRows);
  const output = new Float64Array(memory.buffer, plan.outputStart, plan.blockRows);
  return {
    block,
    score(rows, out, outStart) {
      if (plan.wasmTreeCount > 0) {
        output.set(out.subarray(outStart, outStart + rows));
        score(0, plan.wasmTreeCount, rows, plan.outputStart);
        out.set(output.subarray(0, rows), outStart);
      }
      if (plan.general !== null) kernel(plan.general, block, rows, out, outStart);
    },
  };
}
