import type { Objective } from './tree-model.js';

/**
 * A training objective: gradients and hessians of the per-row loss with respect to the raw score,
 * the raw score to start from, and the loss itself (weighted mean, for history and early stopping).
 * Weights are null for unweighted data.
 */
export interface ObjectiveFunction {
  readonly name: Objective;
  baseScore(labels: Float64Array, weights: Float64Array | null): number;
  /** Writes gradients and hessians at `scores`; returns the loss there (as `loss`), which costs little on the way. */
  gradients(scores: Float64Array, labels: Float64Array, weights: Float64Array | null, gradients: Float64Array, hessians: Float64Array): number;
  loss(scores: Float64Array, labels: Float64Array, weights: Float64Array | null): number;
}

export interface ObjectiveOptions {
  /** Tweedie variance power p, 1 <= p < 2 (1 is Poisson). */
  readonly tweedieVariancePower: number;
}

export function createObjective(name: Objective, options: ObjectiveOptions): ObjectiveFunction {
  switch (name) {
    case 'logistic':
      return logisticObjective;
    case 'squared-error':
      return squaredErrorObjective;
    case 'tweedie':
      return createTweedieObjective(options.tweedieVariancePower);
  }
}

function weightedMean(values: Float64Array, weights: Float64Array | null): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const weight = weights === null ? 1 : (weights[i] ?? 0);
    sum += weight * (values[i] ?? 0);
    total += weight;
  }
  return total > 0 ? sum / total : 0;
}

/** Mean over rows of `pointLoss(score, label)`, weighted. */
function meanLoss(scores: Float64Array, labels: Float64Array, weights: Float64Array | null, pointLoss: (score: number, label: number) => number): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    const weight = weights === null ? 1 : (weights[i] ?? 0);
    sum += weight * pointLoss(scores[i] ?? 0, labels[i] ?? 0);
    total += weight;
  }
  return total > 0 ? sum / total : 0;
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Binary log loss on the log-odds; hessians are floored so that pure leaves stay finite. */
export const logisticObjective: ObjectiveFunction = {
  name: 'logistic',
  baseScore(labels, weights) {
    const mean = weightedMean(labels, weights);
    return Math.log(mean / (1 - mean));
  },
  gradients(scores, labels, weights, gradients, hessians) {
    let loss = 0;
    let total = 0;
    for (let i = 0; i < scores.length; i++) {
      const score = scores[i] ?? 0;
      const label = labels[i] ?? 0;
      const weight = weights === null ? 1 : (weights[i] ?? 0);
      // One exp serves the probability and softplus(score) = log(1 + e^score), on the side that cannot overflow.
      const e = Math.exp(-Math.abs(score));
      const p = score >= 0 ? 1 / (1 + e) : e / (1 + e);
      const softplusScore = (score > 0 ? score : 0) + Math.log1p(e);
      gradients[i] = (p - label) * weight;
      hessians[i] = Math.max(p * (1 - p), 1e-16) * weight;
      loss += weight * (softplusScore - label * score);
      total += weight;
    }
    return total > 0 ? loss / total : 0;
  },
  loss: (scores, labels, weights) => meanLoss(scores, labels, weights, (score, label) => softplus(score) - label * score),
};

/** Squared error; the reported loss is the mean squared error (the gradient is of half of it). */
export const squaredErrorObjective: ObjectiveFunction = {
  name: 'squared-error',
  baseScore: weightedMean,
  gradients(scores, labels, weights, gradients, hessians) {
    let loss = 0;
    let total = 0;
    for (let i = 0; i < scores.length; i++) {
      const weight = weights === null ? 1 : (weights[i] ?? 0);
      const residual = (scores[i] ?? 0) - (labels[i] ?? 0);
      gradients[i] = residual * weight;
      hessians[i] = weight;
      loss += weight * residual * residual;
      total += weight;
    }
    return total > 0 ? loss / total : 0;
  },
  loss: (scores, labels, weights) => meanLoss(scores, labels, weights, (score, label) => (score - label) ** 2),
};

/**
 * Tweedie deviance with a log link (as LightGBM): the raw score is log(mu). The loss is the
 * negative log-likelihood up to terms free of mu: -y mu^(1-p)/(1-p) + mu^(2-p)/(2-p)
 * (Poisson's mu - y log mu when p = 1).
 */
export function createTweedieObjective(power: number): ObjectiveFunction {
  const a = 1 - power;
  const b = 2 - power;
  return {
    name: 'tweedie',
    baseScore: (labels, weights) => Math.log(weightedMean(labels, weights)),
    gradients(scores, labels, weights, gradients, hessians) {
      let loss = 0;
      let total = 0;
      for (let i = 0; i < scores.length; i++) {
        const score = scores[i] ?? 0;
        const label = labels[i] ?? 0;
        const weight = weights === null ? 1 : (weights[i] ?? 0);
        const ea = Math.exp(a * score);
        const eb = Math.exp(b * score);
        gradients[i] = (-label * ea + eb) * weight;
        hessians[i] = (-label * a * ea + b * eb) * weight;
        loss += weight * (a === 0 ? eb - label * score : (-label * ea) / a + eb / b);
        total += weight;
      }
      return total > 0 ? loss / total : 0;
    },
    loss: (scores, labels, weights) =>
      meanLoss(scores, labels, weights, (score, label) => (a === 0 ? Math.exp(score) - label * score : (-label * Math.exp(a * score)) / a + Math.exp(b * score) / b)),
  };
}
