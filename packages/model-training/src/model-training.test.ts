import { describe, expect, it } from 'vitest';
import { dayFromIso, type TrainingSet } from '@kindling/features';
import { predictRaw } from '@kindling/gbdt';
import { rocAuc } from '@kindling/model-evaluation';
import { isAppError } from '@kindling/errors';
import { aucStandardError, championRawScores, fitBinaryModel, predictProbabilities } from './binary-model-selection.js';
import { seededUniform } from './test-support/synthetic-donors.js';
import { explainContacts, modelImportance, scoreContributions } from './explain-contacts.js';
import { parsePropensityModel, serialisePropensityModel } from './propensity-model.js';
import { scoreContacts } from './score-contacts.js';
import { trainPropensityModel } from './train-propensity-model.js';
import { predictAmounts, trainAmountModel } from './train-amount-model.js';
import { syntheticRows, type SyntheticRows } from './test-support/synthetic-donors.js';

const quick = { gbdtOverrides: { maxIterations: 80 } } as const;

function mean(values: Float64Array): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Three yearly cutoffs of the same contacts: rows of contact c sit at c, c + n, c + 2n. */
function trainingSet(rows: SyntheticRows, contactsPerCutoff: number): TrainingSet {
  const cutoffs = ['2022-12-31', '2023-12-31', '2024-12-31'].map(dayFromIso);
  const cutoffIndex = Int32Array.from({ length: rows.matrix.rowCount }, (_, row) => Math.floor(row / contactsPerCutoff));
  const contacts = Int32Array.from({ length: rows.matrix.rowCount }, (_, row) => row % contactsPerCutoff);
  return { outcome: 'responds-to-appeal', windowMonths: 12, cutoffs, matrix: rows.matrix, labels: rows.labels, cutoffIndex, contacts };
}

describe('the standard error of an AUC', () => {
  it('matches the spread of AUCs over repeated samples', () => {
    // Scores of positives shifted by one standard deviation: AUC about 0.76.
    const uniform = seededUniform(11);
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const [positives, negatives] = [40, 120];
    const aucs = Array.from({ length: 400 }, () => {
      const labels = Float64Array.from({ length: positives + negatives }, (_, row) => (row < positives ? 1 : 0));
      const scores = labels.map((label) => normal() + label);
      return rocAuc(scores, labels);
    });
    const average = aucs.reduce((sum, auc) => sum + auc, 0) / aucs.length;
    const spread = Math.sqrt(aucs.reduce((sum, auc) => sum + (auc - average) ** 2, 0) / (aucs.length - 1));
    expect(aucStandardError(average, positives, negatives)).toBeGreaterThan(spread * 0.85);
    expect(aucStandardError(average, positives, negatives)).toBeLessThan(spread * 1.15);
  });
});

describe('choosing a model', () => {
  it('keeps a logistic regression when the signal is linear and boosted trees when it is an interaction', () => {
    const pick = (shape: 'linear' | 'interaction') => {
      const train = syntheticRows(3000, shape, 1);
      const tuning = syntheticRows(3000, shape, 2);
      return fitBinaryModel(train, tuning, quick);
    };
    const linear = pick('linear');
    const interaction = pick('interaction');
    expect(linear.champion.kind).toBe('logistic');
    expect(interaction.champion.kind).toBe('gbdt');
    // Every candidate was tried and reported.
    expect(interaction.candidates.map((candidate) => candidate.kind).sort()).toEqual(['gbdt', 'gbdt', 'logistic', 'logistic', 'logistic']);
    const best = Math.max(...interaction.candidates.map((candidate) => candidate.tuningAuc));
    expect(interaction.candidates.find((candidate) => candidate.name === interaction.champion.name)?.tuningAuc).toBe(best);
  });

  it('calibrates: on fresh rows, mean probability matches the observed rate and the AUC is near the truth\'s', () => {
    const fitted = fitBinaryModel(syntheticRows(4000, 'interaction', 3), syntheticRows(4000, 'interaction', 4), quick);
    const fresh = syntheticRows(20000, 'interaction', 5);
    const probabilities = predictProbabilities(fitted, fresh.matrix);
    expect(Math.abs(mean(probabilities) - mean(fresh.labels))).toBeLessThan(0.015);
    expect(rocAuc(probabilities, fresh.labels)).toBeGreaterThan(rocAuc(fresh.truth, fresh.labels) - 0.03);
  });

  it('keeps the logistic regression when trees lead by less than the noise of a small tuning set', () => {
    const train = syntheticRows(400, 'linear', 12);
    const tuning = syntheticRows(150, 'linear', 13);
    const strict = fitBinaryModel(train, tuning, { ...quick, simplerWithinStandardErrors: 0 });
    const chosen = fitBinaryModel(train, tuning, quick);
    const auc = (name: string) => chosen.candidates.find((candidate) => candidate.name === name)?.tuningAuc ?? 0;
    expect(chosen.champion.kind).toBe('logistic');
    // Without the rule, the best tuning AUC wins, whatever its kind.
    expect(Math.max(...strict.candidates.map((candidate) => candidate.tuningAuc))).toBe(auc(strict.champion.name));
  });

  it('refuses rows with a single class, naming which', () => {
    const train = syntheticRows(500, 'linear', 6);
    const tuning = { ...syntheticRows(500, 'linear', 7), labels: new Float64Array(500) };
    expect(() => fitBinaryModel(train, tuning, quick)).toThrow(/tuning rows have no positive outcomes/);
  });
});

describe('a propensity model from a rolling-origin training set', () => {
  const contactsPerCutoff = 3000;
  const set = trainingSet(syntheticRows(3 * contactsPerCutoff, 'interaction', 8), contactsPerCutoff);
  const model = trainPropensityModel(set, { ...quick, trainedAt: '2026-12-02T07:00:00.000Z' });

  it('trains on the earlier cutoffs and tunes and tests on the latest, split by contact', () => {
    expect(model.rows.train).toBe(2 * contactsPerCutoff);
    expect(model.rows.tuning + model.rows.test).toBe(contactsPerCutoff);
    expect(model.rows.tuning).toBeGreaterThan(contactsPerCutoff * 0.4);
    expect(model.rows.test).toBeGreaterThan(contactsPerCutoff * 0.4);
    expect(model.cutoffs).toEqual(['2022-12-31', '2023-12-31', '2024-12-31']);
    expect(model.report.rowCount).toBe(model.rows.test);
    expect(model.report.baseline?.beatsBaseline).toBe(true);
    expect(model.report.metrics.auc).toBeGreaterThan(0.7);
  });

  it('ranks 1..N by score and leaves probabilities in [0, 1]', () => {
    const scores = scoreContacts(model, set.matrix);
    const ranked = Array.from(scores.ranks).filter((rank) => !Number.isNaN(rank)).sort((a, b) => a - b);
    expect(ranked).toEqual(Array.from({ length: scores.rankedCount }, (_, index) => index + 1));
    for (const probability of scores.probabilities) if (!Number.isNaN(probability)) expect(probability).toBeGreaterThanOrEqual(1e-4);
    for (const probability of scores.probabilities) expect(Number.isNaN(probability) || probability <= 1).toBe(true);
    // A better-ranked contact never has a lower probability.
    const byRank = Array.from(scores.ranks.keys()).filter((row) => !Number.isNaN(scores.ranks[row] ?? Number.NaN)).sort((a, b) => (scores.ranks[a] ?? 0) - (scores.ranks[b] ?? 0));
    for (let index = 1; index < byRank.length; index += 1) expect(scores.probabilities[byRank[index - 1] ?? 0] ?? 0).toBeGreaterThanOrEqual(scores.probabilities[byRank[index] ?? 0] ?? 0);
  });

  it('survives a save and load with identical scores; a tampered file is refused', () => {
    const text = serialisePropensityModel(model);
    const loaded = parsePropensityModel(text);
    expect(Array.from(scoreContacts(loaded, set.matrix).probabilities)).toEqual(Array.from(scoreContacts(model, set.matrix).probabilities));
    expect(loaded.report).toEqual(model.report);
    const tampered = text.replace('"windowMonths":12', '"windowMonths":-1');
    expect(() => parsePropensityModel(tampered)).toThrow(/not valid/);
    expect(() => parsePropensityModel('{')).toThrow(/not JSON/);
  });

  it('explains scores: contributions add up to the raw score, and the top factors read from the catalogue', () => {
    const rows = [0, 1, 2, 3];
    const definitionOf = (name: string) => ({ name, unit: 'ratio' as const, phrase: `${name.replaceAll('_', ' ')} is {value}` });
    const factors = explainContacts(model, set.matrix, rows, { definitionOf, count: 2 });
    expect(factors).toHaveLength(4);
    for (const rowFactors of factors) {
      expect(rowFactors.length).toBeGreaterThan(0);
      expect(rowFactors.length).toBeLessThanOrEqual(2);
      for (const factor of rowFactors) expect(factor.text).toMatch(/ is /);
    }
    const importance = modelImportance(model, set.matrix, 500);
    // The label depends on the first two features only through their interaction, never on `noise`.
    expect(importance.at(-1)?.feature).toBe('noise');
    expect(model.champion.kind).toBe('gbdt');
    const raw = championRawScores(model.champion, set.matrix);
    if (model.champion.kind === 'gbdt') expect(Array.from(raw)).toEqual(Array.from(predictRaw(model.champion.ensemble, set.matrix)));
    const width = set.matrix.features.length + 1;
    const shap = scoreContributions(model.champion, set.matrix, rows);
    rows.forEach((row, index) => {
      const sum = shap.subarray(index * width, (index + 1) * width).reduce((total, value) => total + value, 0);
      expect(sum).toBeCloseTo(raw[row] ?? 0, 9);
    });
  });

  it('refuses data featurised with another catalogue', () => {
    const other = { ...set.matrix, features: set.matrix.features.map((feature, index) => (index === 1 ? { ...feature, name: 'renamed' } : feature)) };
    expect(() => scoreContacts(model, other)).toThrow(/Feature 2 of the data is renamed/);
    try {
      scoreContacts(model, other);
    } catch (error) {
      expect(isAppError(error) && error.code === 'VALIDATION_FAILED').toBe(true);
    }
  });
});

describe('an amount model', () => {
  it('predicts skewed amounts, most of them zero, with expected revenue close to realised and the givers ranked first', () => {
    const contactsPerCutoff = 3000;
    const rows = syntheticRows(3 * contactsPerCutoff, 'linear', 21);
    // Whoever the labels made a giver gives a lognormal amount that grows with the third feature.
    const uniform = seededUniform(22);
    const amounts = rows.labels.map((gave, row) => {
      if (gave === 0) return 0;
      const normal = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
      return Math.round(Math.exp(3 + 1.2 * (rows.matrix.columns[2]?.[row] ?? 0) + 0.6 * normal));
    });
    const set = { ...trainingSet({ ...rows, labels: amounts }, contactsPerCutoff), outcome: 'gift-amount-sum' as const };
    const model = trainAmountModel(set, { gbdt: { maxIterations: 150 } });
    const { report } = model;
    expect(report.kind).toBe('amount');
    const totals = report.revenue?.totals;
    expect(totals?.realisedToExpected).toBeGreaterThan(0.8);
    expect(totals?.realisedToExpected).toBeLessThan(1.25);
    expect(report.metrics.auc).toBeGreaterThan(0.6);
    // The top decile by expected amount holds far more than a tenth of what was given.
    expect(report.revenue?.byDecile[0]?.cumulativeRealisedShare).toBeGreaterThan(0.25);
    const predicted = predictAmounts(model, set.matrix);
    for (const amount of predicted) expect(amount).toBeGreaterThan(0);
  });
});
