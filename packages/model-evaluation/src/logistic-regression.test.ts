import { describe, expect, it } from 'vitest';
import { parseLogisticRegression, predictLogisticRegression, trainLogisticRegression, type LogisticRegressionModel } from './logistic-regression.js';
import { matrixOf } from './test-support/feature-matrix.js';
import { seededRandom } from './test-support/seeded-random.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Independent oracle: standardise each column (population standard deviation), then plain gradient
 * descent with a fixed step on Σ log-loss + λ/2·‖β‖² (intercept unpenalised).
 */
function gradientDescentOracle(columns: Float64Array[], labels: Float64Array, l2: number): { intercept: number; coefficients: number[] } {
  const n = labels.length;
  const z = columns.map((column) => {
    const mean = column.reduce((total, value) => total + value, 0) / n;
    const sd = Math.sqrt(column.reduce((total, value) => total + (value - mean) ** 2, 0) / n);
    return column.map((value) => (value - mean) / sd);
  });
  let intercept = 0;
  const beta = columns.map(() => 0);
  const step = 1 / (0.25 * n * (columns.length + 1) + l2);
  for (let iteration = 0; iteration < 6000; iteration += 1) {
    const gradient = beta.map((b) => l2 * b);
    let gradientIntercept = 0;
    for (let row = 0; row < n; row += 1) {
      let eta = intercept;
      z.forEach((column, j) => (eta += (beta[j] ?? 0) * (column[row] ?? 0)));
      const residual = sigmoid(eta) - (labels[row] ?? 0);
      gradientIntercept += residual;
      z.forEach((column, j) => (gradient[j] = (gradient[j] ?? 0) + residual * (column[row] ?? 0)));
    }
    intercept -= step * gradientIntercept;
    beta.forEach((b, j) => (beta[j] = b - step * (gradient[j] ?? 0)));
  }
  return { intercept, coefficients: beta };
}

function simulate(seed: number, n: number, truth: { intercept: number; slopes: number[]; means: number[]; scales: number[] }) {
  const random = seededRandom(seed);
  const columns = truth.slopes.map((_, j) => Float64Array.from({ length: n }, () => (truth.means[j] ?? 0) + (truth.scales[j] ?? 1) * random.normal()));
  const labels = Float64Array.from({ length: n }, (_, row) => {
    let eta = truth.intercept;
    truth.slopes.forEach((slope, j) => (eta += slope * (columns[j]?.[row] ?? 0)));
    return random.uniform() < sigmoid(eta) ? 1 : 0;
  });
  return { columns, labels };
}

/** Coefficients back on the features' own scale, for numeric value columns. */
function rawCoefficients(model: LogisticRegressionModel): { intercept: number; slopes: number[] } {
  let intercept = model.intercept;
  const slopes = model.featureNames.map(() => 0);
  model.columns.forEach((column, j) => {
    const coefficient = model.coefficients[j] ?? 0;
    slopes[column.feature] = coefficient / column.scale;
    intercept -= (coefficient * column.center) / column.scale;
  });
  return { intercept, slopes };
}

describe('logistic regression baseline', () => {
  it('converges to the coefficients plain gradient descent finds on small data', () => {
    const { columns, labels } = simulate(21, 150, { intercept: 0.3, slopes: [1.2, -0.8, 0.1], means: [0, 5, -2], scales: [1, 3, 0.5] });
    for (const l2 of [0.1, 1, 10]) {
      const model = trainLogisticRegression(matrixOf({ a: columns[0] ?? [], b: columns[1] ?? [], c: columns[2] ?? [] }), labels, { l2 });
      const oracle = gradientDescentOracle(columns, labels, l2);
      expect(model.converged).toBe(true);
      expect(model.intercept).toBeCloseTo(oracle.intercept, 7);
      model.coefficients.forEach((coefficient, j) => {
        expect(coefficient).toBeCloseTo(oracle.coefficients[j] ?? Number.NaN, 7);
      });
    }
  });

  it('reaches the optimum on a wide weighted design with missing values and categories (the gradient vanishes)', () => {
    const random = seededRandom(28);
    const n = 3000;
    const named: Record<string, Float64Array> = {};
    const eta = new Float64Array(n);
    for (let j = 0; j < 30; j += 1) {
      const slope = random.normal() * 0.5;
      named[`x${String(j)}`] = Float64Array.from({ length: n }, (_, row) => {
        const x = 10 * j + (1 + j) * random.normal() + 0.3 * (eta[row] ?? 0);
        eta[row] = (eta[row] ?? 0) + (slope * (x - 10 * j)) / (1 + j);
        return random.uniform() < 0.2 ? Number.NaN : x;
      });
    }
    for (let j = 0; j < 3; j += 1) {
      named[`c${String(j)}:cat`] = Float64Array.from({ length: n }, (_, row) => {
        const code = Math.floor(random.uniform() ** 2 * 8);
        eta[row] = (eta[row] ?? 0) + 0.4 * Math.sin(code + j);
        return code;
      });
    }
    const labels = eta.map((value) => (random.uniform() < sigmoid(value) ? 1 : 0));
    const weights = Float64Array.from({ length: n }, () => 0.5 + 1.5 * random.uniform());
    const l2 = 2;
    const matrix = matrixOf(named);
    const model = trainLogisticRegression(matrix, labels, { l2, weights });
    expect(model.converged).toBe(true);
    expect(model.columns.length).toBe(30 * 2 + 3 * 8);
    // The design rebuilt here from the column definitions alone, standardised with its own weighted moments.
    const totalWeight = weights.reduce((total, w) => total + w, 0);
    const design = model.columns.map((column) => {
      const source = matrix.columns[column.feature] ?? new Float64Array(n);
      let raw: Float64Array;
      if (column.kind === 'level') raw = source.map((x) => (x === column.level ? 1 : 0));
      else if (column.kind === 'missing') raw = source.map((x) => (Number.isNaN(x) ? 1 : 0));
      else {
        let present = 0;
        let sum = 0;
        source.forEach((x, row) => {
          if (!Number.isNaN(x)) {
            present += weights[row] ?? 0;
            sum += (weights[row] ?? 0) * x;
          }
        });
        raw = source.map((x) => (Number.isNaN(x) ? sum / present : x));
      }
      const mean = raw.reduce((total, x, row) => total + (weights[row] ?? 0) * x, 0) / totalWeight;
      const sd = Math.sqrt(raw.reduce((total, x, row) => total + (weights[row] ?? 0) * (x - mean) ** 2, 0) / totalWeight);
      return raw.map((x) => (x - mean) / sd);
    });
    const residual = new Float64Array(n);
    for (let row = 0; row < n; row += 1) {
      let z = model.intercept;
      design.forEach((column, j) => (z += (model.coefficients[j] ?? 0) * (column[row] ?? 0)));
      residual[row] = (weights[row] ?? 0) * (sigmoid(z) - (labels[row] ?? 0));
    }
    // The Hessian's scale is about n/4, so a gradient of 1e-7 leaves the coefficients within about 1e-10.
    expect(Math.abs(residual.reduce((total, r) => total + r, 0))).toBeLessThan(1e-7);
    design.forEach((column, j) => {
      const gradient = column.reduce((total, x, row) => total + (residual[row] ?? 0) * x, l2 * (model.coefficients[j] ?? 0));
      expect(Math.abs(gradient)).toBeLessThan(1e-7);
    });
  });

  it('recovers known coefficients from simulated data', () => {
    // Balanced classes (mean log-odds about −0.5), so the standard errors are about 0.02.
    const truth = { intercept: 0.3, slopes: [1, -0.4, 0], means: [0, 2, 3], scales: [1, 5, 2] };
    const { columns, labels } = simulate(22, 20_000, truth);
    const model = trainLogisticRegression(matrixOf({ a: columns[0] ?? [], b: columns[1] ?? [], c: columns[2] ?? [] }), labels, { l2: 1e-3 });
    const raw = rawCoefficients(model);
    expect(Math.abs(raw.intercept - truth.intercept)).toBeLessThan(0.1);
    raw.slopes.forEach((slope, j) => {
      expect(Math.abs(slope - (truth.slopes[j] ?? 0))).toBeLessThan(0.06);
    });
  });

  it('imputes missing values with the training mean and adds a missing indicator', () => {
    const random = seededRandom(23);
    const n = 500;
    const x = Float64Array.from({ length: n }, () => (random.uniform() < 0.3 ? Number.NaN : random.normal()));
    const labels = x.map((value) => (random.uniform() < (Number.isNaN(value) ? 0.7 : sigmoid(value)) ? 1 : 0));
    const present = x.filter((value) => !Number.isNaN(value));
    const mean = present.reduce((total, value) => total + value, 0) / present.length;
    const manual = matrixOf({ x: x.map((value) => (Number.isNaN(value) ? mean : value)), missing: x.map((value) => (Number.isNaN(value) ? 1 : 0)) });
    const model = trainLogisticRegression(matrixOf({ x }), labels);
    expect(model.columns.map((column) => column.kind)).toEqual(['value', 'missing']);
    const reference = trainLogisticRegression(manual, labels);
    const probe = matrixOf({ x: [Number.NaN, -1, 0, 2] });
    const manualProbe = matrixOf({ x: [mean, -1, 0, 2], missing: [1, 0, 0, 0] });
    const expected = predictLogisticRegression(reference, manualProbe);
    predictLogisticRegression(model, probe).forEach((p, row) => {
      expect(p).toBeCloseTo(expected[row] ?? Number.NaN, 10);
    });
  });

  it('one-hot encodes categorical codes, most frequent first, unseen codes all zero', () => {
    const random = seededRandom(24);
    const n = 1000;
    const codes = Float64Array.from({ length: n }, () => {
      const u = random.uniform();
      return u < 0.4 ? 2 : u < 0.7 ? 0 : u < 0.9 ? 3 : 1;
    });
    const labels = codes.map((code) => (random.uniform() < ([0.2, 0.5, 0.3, 0.6][code] ?? 0) ? 1 : 0));
    const oneHot = (values: ArrayLike<number>) => Object.fromEntries([2, 0, 3, 1].map((level) => [`is${String(level)}`, Array.from(values, (code) => (code === level ? 1 : 0))]));
    const model = trainLogisticRegression(matrixOf({ 'code:cat': codes }), labels, { l2: 0.5 });
    const reference = trainLogisticRegression(matrixOf(oneHot(codes)), labels, { l2: 0.5 });
    const probe = [0, 1, 2, 3, 7];
    const predicted = predictLogisticRegression(model, matrixOf({ 'code:cat': probe }));
    const expected = predictLogisticRegression(reference, matrixOf(oneHot(probe)));
    predicted.forEach((p, row) => {
      expect(p).toBeCloseTo(expected[row] ?? Number.NaN, 10);
    });
  });

  it('drops constant and all-missing features, naming them, and predicts as if they were absent', () => {
    const { columns, labels } = simulate(25, 300, { intercept: 0, slopes: [1], means: [0], scales: [1] });
    const x = columns[0] ?? new Float64Array();
    const model = trainLogisticRegression(matrixOf({ x, constant: new Float64Array(300).fill(4), empty: new Float64Array(300).fill(Number.NaN) }), labels);
    expect(model.dropped).toEqual([
      { feature: 'constant', reason: 'constant' },
      { feature: 'empty', reason: 'all-missing' },
    ]);
    const alone = trainLogisticRegression(matrixOf({ x }), labels);
    expect(model.coefficients).toEqual(alone.coefficients);
    expect(predictLogisticRegression(model, matrixOf({ x: [0.5], constant: [99], empty: [1] }))).toEqual(predictLogisticRegression(alone, matrixOf({ x: [0.5] })));
  });

  it('keeps coefficients finite on separable data, larger as the penalty shrinks', () => {
    const x = Float64Array.from({ length: 40 }, (_, row) => row - 19.5);
    const labels = x.map((value) => (value > 0 ? 1 : 0));
    const strong = trainLogisticRegression(matrixOf({ x }), labels, { l2: 1 });
    const weak = trainLogisticRegression(matrixOf({ x }), labels, { l2: 0.01 });
    for (const model of [strong, weak]) {
      expect(model.converged).toBe(true);
      expect(Number.isFinite(model.coefficients[0])).toBe(true);
    }
    expect(weak.coefficients[0] ?? 0).toBeGreaterThan(strong.coefficients[0] ?? 0);
    const p = predictLogisticRegression(strong, matrixOf({ x: [-19.5, 19.5] }));
    expect(p[0]).toBeLessThan(0.05);
    expect(p[1]).toBeGreaterThan(0.95);
  });

  it('treats a weight of 2 like a repeated row, and is deterministic', () => {
    const { columns, labels } = simulate(26, 200, { intercept: 0.2, slopes: [0.8, -0.5], means: [0, 0], scales: [1, 1] });
    const [a = new Float64Array(), b = new Float64Array()] = columns;
    const weights = Float64Array.from({ length: 200 }, (_, row) => (row < 50 ? 2 : 1));
    const weighted = trainLogisticRegression(matrixOf({ a, b }), labels, { weights });
    const repeat = (values: Float64Array) => Float64Array.from([...values, ...values.subarray(0, 50)]);
    const repeated = trainLogisticRegression(matrixOf({ a: repeat(a), b: repeat(b) }), repeat(labels));
    weighted.coefficients.forEach((coefficient, j) => {
      expect(coefficient).toBeCloseTo(repeated.coefficients[j] ?? Number.NaN, 9);
    });
    expect(trainLogisticRegression(matrixOf({ a, b }), labels, { weights })).toEqual(weighted);
  });

  it('is plain JSON that reloads (validated) and scores the same', () => {
    const { columns, labels } = simulate(27, 200, { intercept: 0, slopes: [1, 1], means: [0, 0], scales: [1, 1] });
    const matrix = matrixOf({ a: columns[0] ?? [], b: columns[1] ?? [] });
    const model = trainLogisticRegression(matrix, labels);
    const loaded = parseLogisticRegression(JSON.parse(JSON.stringify(model)));
    expect(predictLogisticRegression(loaded, matrix)).toEqual(predictLogisticRegression(model, matrix));
    expect(() => parseLogisticRegression({ ...model, coefficients: [1] })).toThrow(/one coefficient per design column/);
  });

  it('refuses one-class labels, a non-positive penalty and a matrix with other features', () => {
    const matrix = matrixOf({ a: [1, 2, 3] });
    expect(() => trainLogisticRegression(matrix, Float64Array.of(1, 1, 1))).toThrow(/both positive and negative/);
    expect(() => trainLogisticRegression(matrix, Float64Array.of(0, 1, 1), { l2: 0 })).toThrow(/l2 must be a positive number/);
    const model = trainLogisticRegression(matrix, Float64Array.of(0, 1, 1));
    expect(() => predictLogisticRegression(model, matrixOf({ b: [1] }))).toThrow(/features the logistic regression was trained on/);
  });
});
