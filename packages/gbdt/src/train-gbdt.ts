import { AppError } from '@kindling/errors';
import { binMatrix, defaultBinningOptions, fitBinMappers, type BinnedMatrix } from './binning.js';
import { toFlatTree } from './flat-tree-conversion.js';
import { createHistogramBuilder, type HistogramBuilder } from './histogram-builder.js';
import { createHistogramLayout, createHistogramScratch, type HistogramLayout } from './histogram.js';
import { createObjective, type ObjectiveFunction } from './objectives.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';
import { assertSameFeatures, assertTrainableLabels, assertTrainingSet } from './training-input.js';
import { parseGbdtParams, type GbdtParams, type GbdtParamsInput } from './training-params.js';
import { addLeafScores, addTreeScores, growTree, type GrowerParams } from './tree-grower.js';
import type { FeatureMatrix, FlatTree, ModelFeature, TreeEnsemble } from './tree-model.js';

export interface ValidationSet {
  readonly matrix: FeatureMatrix;
  readonly labels: Float64Array;
  readonly weights?: Float64Array;
}

export interface TrainGbdtOptions {
  /** Scored every iteration with the training bins; its loss drives early stopping. */
  readonly validation?: ValidationSet;
  /** Training sample weights (>= 0); logistic positiveWeight multiplies them for positive rows. */
  readonly weights?: Float64Array;
}

export interface IterationRecord {
  /** 1-based: the loss after this many trees. */
  readonly iteration: number;
  /** Weighted mean training loss (with class weights, i.e. what is being minimised). */
  readonly trainLoss: number;
  /** Mean validation loss (with validation weights only), when there is a validation set. */
  readonly validLoss?: number;
}

export interface TrainGbdtResult {
  /** Holds the first `bestIteration` trees: later trees (after the validation optimum) are dropped. */
  readonly model: TreeEnsemble;
  /** Trees kept: the iteration of the lowest validation loss, or every tree grown without validation. */
  readonly bestIteration: number;
  readonly history: readonly IterationRecord[];
}

interface ScoredSet {
  readonly binned: BinnedMatrix;
  readonly labels: Float64Array;
  readonly weights: Float64Array | null;
  readonly scores: Float64Array;
}

/**
 * Trains a gradient-boosted tree ensemble. Deterministic for a given input and `seed`. Training
 * stops early when a tree finds no admissible split (the model then has fewer trees), or when the
 * validation loss has not improved for `earlyStoppingRounds` iterations.
 */
export function trainGbdt(train: FeatureMatrix, labels: Float64Array, params: GbdtParamsInput = {}, options: TrainGbdtOptions = {}): TrainGbdtResult {
  const config = parseGbdtParams(params);
  const sampleWeights = options.weights ?? null;
  assertTrainingSet('training', train, labels, sampleWeights, config.objective);
  assertTrainableLabels(labels, sampleWeights, config.objective);
  const { validation } = options;
  if (validation !== undefined) {
    assertSameFeatures(train, validation.matrix);
    assertTrainingSet('validation', validation.matrix, validation.labels, validation.weights ?? null, config.objective);
  }
  if (config.earlyStoppingRounds !== undefined && validation === undefined) {
    throw new AppError('VALIDATION_FAILED', 'earlyStoppingRounds needs a validation set');
  }

  const mappers = fitBinMappers(train, { ...defaultBinningOptions, maxBins: config.maxBins, minCategoryCount: config.minCategoryCount, seed: config.seed });
  const objective = createObjective(config.objective, config);
  const weights = effectiveWeights(labels, sampleWeights, config);
  const baseScore = objective.baseScore(labels, weights);
  const trainSet: ScoredSet = { binned: binMatrix(train, mappers, config.threads > 1), labels, weights, scores: new Float64Array(train.rowCount).fill(baseScore) };
  const validSet: ScoredSet | null =
    validation === undefined
      ? null
      : {
          binned: binMatrix(validation.matrix, mappers),
          labels: validation.labels,
          weights: validation.weights ?? null,
          scores: new Float64Array(validation.matrix.rowCount).fill(baseScore),
        };

  const { trees, history, bestIteration } = boost(trainSet, validSet, objective, config);
  const features = train.features.map((feature, index): ModelFeature => {
    if (feature.kind !== 'categorical') return { ...feature };
    // Codes 0..categoryCount-1: at least every code seen in training, as the contract promises.
    const seen = mappers[index]?.categoryBin.length ?? 0;
    return { ...feature, categoryCount: Math.max(feature.categoryCount ?? 0, seen) };
  });
  const model: TreeEnsemble = { objective: config.objective, baseScore, features, trees: trees.slice(0, bestIteration) };
  return { model, bestIteration, history };
}

function effectiveWeights(labels: Float64Array, weights: Float64Array | null, config: GbdtParams): Float64Array | null {
  if (config.objective !== 'logistic' || config.positiveWeight === 1) return weights;
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = (weights === null ? 1 : (weights[i] ?? 0)) * (labels[i] === 1 ? config.positiveWeight : 1);
  return out;
}

function boost(
  trainSet: ScoredSet,
  validSet: ScoredSet | null,
  objective: ObjectiveFunction,
  config: GbdtParams,
): { trees: FlatTree[]; history: IterationRecord[]; bestIteration: number } {
  const rowCount = trainSet.binned.rowCount;
  const layout = createHistogramLayout(trainSet.binned);
  const threaded = config.threads > 1;
  const scratch = createHistogramScratch(rowCount, threaded);
  const gradients = sharedFloat64(rowCount, threaded);
  const hessians = sharedFloat64(rowCount, threaded);
  const partition = new Uint32Array(threaded ? new SharedArrayBuffer(rowCount * 4) : new ArrayBuffer(rowCount * 4));
  const histograms = createHistogramBuilder({ binned: trainSet.binned, layout, gradients, hessians, scratch, partition, capacity: config.maxLeaves, threads: config.threads });
  try {
    return boostRounds(trainSet, validSet, objective, config, { layout, gradients, hessians, histograms, partition });
  } finally {
    histograms.close();
  }
}

function sharedFloat64(length: number, shared: boolean): Float64Array {
  const bytes = length * Float64Array.BYTES_PER_ELEMENT;
  return new Float64Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

interface BoostWorkspace {
  readonly layout: HistogramLayout;
  readonly gradients: Float64Array;
  readonly hessians: Float64Array;
  readonly histograms: HistogramBuilder;
  readonly partition: Uint32Array;
}

function boostRounds(
  trainSet: ScoredSet,
  validSet: ScoredSet | null,
  objective: ObjectiveFunction,
  config: GbdtParams,
  workspace: BoostWorkspace,
): { trees: FlatTree[]; history: IterationRecord[]; bestIteration: number } {
  const { layout, gradients, hessians, histograms, partition } = workspace;
  const rowCount = trainSet.binned.rowCount;
  const rowRandom = createSeededRandom(config.seed * 2 + 1);
  const featureRandom = createSeededRandom(config.seed * 2 + 2);
  const featureCount = trainSet.binned.mappers.length;
  const growerParams: GrowerParams = config;
  const trees: FlatTree[] = [];
  const trainLosses: number[] = [];
  const validLosses: number[] = [];
  let bestIteration = 0;
  let bestLoss = Number.POSITIVE_INFINITY;
  let grew = false;

  for (let iteration = 1; iteration <= config.maxIterations; iteration++) {
    // The gradient pass also yields the training loss of the previous iteration's scores.
    const lossBefore = objective.gradients(trainSet.scores, trainSet.labels, trainSet.weights, gradients, hessians);
    if (iteration > 1) trainLosses.push(lossBefore);
    grew = false;
    const rows = config.rowSubsample < 1 ? sampleRows(rowCount, config.rowSubsample, rowRandom) : null;
    const features = sampleFeatures(featureCount, config.featureSubsample, featureRandom);
    const grown = growTree({ binned: trainSet.binned, layout, gradients, hessians, weights: trainSet.weights, rows, features, histograms, partition }, growerParams);
    if (grown.tree.nodeCount === 1) break;
    grew = true;
    trees.push(toFlatTree(grown.tree, trainSet.binned.mappers));
    if (rows === null) addLeafScores(grown, trainSet.scores);
    else addTreeScores(grown.tree, trainSet.binned, trainSet.scores);
    if (validSet === null) {
      bestIteration = iteration;
      continue;
    }
    addTreeScores(grown.tree, validSet.binned, validSet.scores);
    const validLoss = objective.loss(validSet.scores, validSet.labels, validSet.weights);
    validLosses.push(validLoss);
    if (validLoss < bestLoss) {
      bestLoss = validLoss;
      bestIteration = iteration;
    } else if (config.earlyStoppingRounds !== undefined && iteration - bestIteration >= config.earlyStoppingRounds) break;
  }
  if (grew) trainLosses.push(objective.loss(trainSet.scores, trainSet.labels, trainSet.weights));
  const history = trees.map((_, t): IterationRecord => {
    const trainLoss = trainLosses[t] ?? Number.NaN;
    const validLoss = validLosses[t];
    return validLoss === undefined ? { iteration: t + 1, trainLoss } : { iteration: t + 1, trainLoss, validLoss };
  });
  return { trees, history, bestIteration };
}

/** Bagging: each row joins this tree's sample with probability `fraction` (at least one row). */
function sampleRows(rowCount: number, fraction: number, random: SeededRandom): Uint32Array {
  const rows = new Uint32Array(rowCount);
  let count = 0;
  for (let row = 0; row < rowCount; row++) if (random.next() < fraction) rows[count++] = row;
  if (count === 0) rows[count++] = random.nextInt(rowCount);
  return rows.slice(0, count);
}

/** Column sampling: round(fraction * features) distinct features (at least one), ascending. */
function sampleFeatures(featureCount: number, fraction: number, random: SeededRandom): Int32Array {
  const order = Int32Array.from({ length: featureCount }, (_, index) => index);
  if (fraction >= 1) return order;
  const take = Math.max(1, Math.round(fraction * featureCount));
  for (let i = 0; i < take; i++) {
    const j = i + random.nextInt(featureCount - i);
    const swap = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = swap;
  }
  return order.slice(0, take).sort();
}
