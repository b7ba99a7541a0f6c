import { featureBits, type FeatureVector } from './campaign-features.js';

/**
 * Why L2-regularised multinomial logistic regression and not naive Bayes: the features are heavily
 * redundant (every character n-gram of "christmas" fires together), and naive Bayes multiplies such
 * correlated evidence as if independent, so its probabilities pile up at 0 and 1 — useless for a
 * "confident" flag people rely on to approve in bulk. Logistic regression weighs correlated features
 * jointly and, with L2, keeps its probabilities from saturating on names it has seen once. Plain SGD
 * over sparse hashed features trains 10,000 campaigns in well under a second, and a fixed example
 * order and seeded shuffles make it deterministic.
 */
export interface SoftmaxModel {
  /** Label indices (into the caller's vocabulary) this model can predict, ascending. */
  readonly labels: readonly number[];
  readonly bias: readonly number[];
  /** Hashed feature index → one weight per label. */
  readonly weights: ReadonlyMap<number, readonly number[]>;
}

export interface TrainingExample {
  readonly features: FeatureVector;
  readonly label: number;
}

/**
 * SGD needs a number of updates more than a number of passes: a few hundred confirmed campaigns get
 * ten passes, ten thousand (which repeat an organisation's naming many times over) two, which keeps
 * training 10,000 campaigns well under a second.
 */
const targetSteps = 20_000;
const minimumEpochs = 2;
const maximumEpochs = 10;
const negligibleGradient = 1e-4;
const initialRate = 0.5;
/** L2 strength per example: shrinks weights of names seen once or twice, so their suggestions stay modest. */
const l2 = 1e-3;
/** Weights are rounded when training ends, so the stored model predicts exactly what the trained one did. */
const weightPrecision = 1e6;

/** Mulberry32: a tiny seeded generator, so the epoch shuffles are the same on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffledOrder(length: number, random: () => number): Uint32Array {
  const order = Uint32Array.from({ length }, (_, index) => index);
  for (let index = length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    const kept = order[index] ?? 0;
    order[index] = order[other] ?? 0;
    order[other] = kept;
  }
  return order;
}

/** Softmax in place, shifted by the maximum so large scores cannot overflow. */
export function softmaxInPlace(scores: Float64Array | number[]): void {
  let maximum = -Infinity;
  for (const score of scores) maximum = Math.max(maximum, score);
  let total = 0;
  for (let index = 0; index < scores.length; index += 1) {
    const value = Math.exp((scores[index] ?? 0) - maximum);
    scores[index] = value;
    total += value;
  }
  for (let index = 0; index < scores.length; index += 1) scores[index] = (scores[index] ?? 0) / total;
}

/** All examples in one compressed-sparse-row block: one allocation, read in order, no per-row objects. */
interface CompactExamples {
  readonly featureIds: readonly number[];
  readonly rowStart: Uint32Array;
  readonly columns: Uint32Array;
  readonly values: Float64Array;
  readonly labels: Uint32Array;
}

/** Renumbers hashed features densely (through a table over the whole hash space), so training works on one flat weight array. */
function compact(examples: readonly TrainingExample[], labelIndex: ReadonlyMap<number, number>): CompactExamples {
  const columnOf = new Int32Array(2 ** featureBits).fill(-1);
  const featureIds: number[] = [];
  const rowStart = new Uint32Array(examples.length + 1);
  examples.forEach((example, row) => {
    rowStart[row + 1] = (rowStart[row] ?? 0) + example.features.indices.length;
  });
  const columns = new Uint32Array(rowStart[examples.length] ?? 0);
  const values = new Float64Array(columns.length);
  const labels = new Uint32Array(examples.length);
  examples.forEach((example, row) => {
    const { indices, values: rowValues } = example.features;
    let position = rowStart[row] ?? 0;
    for (let entry = 0; entry < indices.length; entry += 1) {
      const feature = indices[entry] ?? 0;
      let column = columnOf[feature] ?? -1;
      if (column < 0) {
        column = featureIds.length;
        columnOf[feature] = column;
        featureIds.push(feature);
      }
      columns[position] = column;
      values[position] = rowValues[entry] ?? 0;
      position += 1;
    }
    labels[row] = labelIndex.get(example.label) ?? 0;
  });
  return { featureIds, rowStart, columns, values, labels };
}

function round(value: number): number {
  return Math.round(value * weightPrecision) / weightPrecision;
}

/**
 * Trains on examples in the order given (callers sort them, so the model does not depend on the order
 * rows arrived in). L2 is applied to every weight at every step through a global scale factor
 * (weights = scale × stored), which keeps each step proportional to the example's own features.
 */
export function trainSoftmax(examples: readonly TrainingExample[]): SoftmaxModel {
  const labels = [...new Set(examples.map((example) => example.label))].sort((a, b) => a - b);
  const labelCount = labels.length;
  const { featureIds, rowStart, columns, values, labels: rowLabels } = compact(examples, new Map(labels.map((label, index) => [label, index])));
  const stored = new Float64Array(featureIds.length * labelCount);
  const bias = new Float64Array(labelCount);
  const scores = new Float64Array(labelCount);
  const activeLabels = new Uint32Array(labelCount);
  const random = seededRandom(0x6b696e64);
  let scale = 1;
  let step = 0;
  const epochs = Math.min(maximumEpochs, Math.max(minimumEpochs, Math.round(targetSteps / Math.max(1, examples.length))));
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    for (const row of shuffledOrder(examples.length, random)) {
      const first = rowStart[row] ?? 0;
      const end = rowStart[row + 1] ?? 0;
      const rate = initialRate / (1 + l2 * initialRate * step);
      step += 1;
      scores.set(bias);
      for (let entry = first; entry < end; entry += 1) {
        const offset = (columns[entry] ?? 0) * labelCount;
        const value = (values[entry] ?? 0) * scale;
        for (let label = 0; label < labelCount; label += 1) scores[label] = (scores[label] ?? 0) + value * (stored[offset + label] ?? 0);
      }
      softmaxInPlace(scores);
      const label = rowLabels[row] ?? 0;
      scores[label] = (scores[label] ?? 0) - 1;
      scale *= 1 - rate * l2;
      // Labels the example already rules out (gradient under 1e-4) are skipped: after the first pass
      // that is most of them, which halves the work at no measurable cost in accuracy.
      let active = 0;
      for (let other = 0; other < labelCount; other += 1) if (Math.abs(scores[other] ?? 0) >= negligibleGradient) activeLabels[active++] = other;
      for (let entry = first; entry < end; entry += 1) {
        const offset = (columns[entry] ?? 0) * labelCount;
        const value = ((values[entry] ?? 0) * rate) / scale;
        for (let position = 0; position < active; position += 1) {
          const updated = activeLabels[position] ?? 0;
          stored[offset + updated] = (stored[offset + updated] ?? 0) - value * (scores[updated] ?? 0);
        }
      }
      for (let other = 0; other < labelCount; other += 1) bias[other] = (bias[other] ?? 0) - rate * (scores[other] ?? 0);
      if (scale < 1e-9) {
        for (let index = 0; index < stored.length; index += 1) stored[index] = (stored[index] ?? 0) * scale;
        scale = 1;
      }
    }
  }
  const weights = new Map<number, readonly number[]>();
  featureIds.forEach((feature, column) => {
    const row = Array.from(stored.subarray(column * labelCount, (column + 1) * labelCount), (weight) => round(weight * scale));
    if (row.some((weight) => weight !== 0)) weights.set(feature, row);
  });
  return { labels, bias: Array.from(bias, round), weights };
}

/** Probabilities over `model.labels` for one campaign; features the model never saw count for nothing. */
export function predictSoftmax(model: SoftmaxModel, features: FeatureVector): number[] {
  const scores = [...model.bias];
  features.indices.forEach((feature, entry) => {
    const row = model.weights.get(feature);
    if (row === undefined) return;
    const value = features.values[entry] ?? 0;
    for (let label = 0; label < scores.length; label += 1) scores[label] = (scores[label] ?? 0) + value * (row[label] ?? 0);
  });
  softmaxInPlace(scores);
  return scores;
}
