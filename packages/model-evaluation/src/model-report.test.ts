import { describe, expect, it } from 'vitest';
import { averagePrecision, brierScore, logLoss, rocAuc } from './binary-metrics.js';
import { buildAmountReport, buildBinaryReport, modelReportSchema } from './model-report.js';
import { formatReportTable } from './report-table.js';
import { seededRandom } from './test-support/seeded-random.js';

function simulated(n: number) {
  const random = seededRandom(41);
  const signal = Float64Array.from({ length: n }, () => random.normal());
  const labels = signal.map((value) => (random.uniform() < 1 / (1 + Math.exp(-(value - 1.5))) ? 1 : 0));
  const model = signal.map((value) => 1 / (1 + Math.exp(-(value - 1.5))));
  // A weaker baseline: the same signal drowned in noise.
  const baseline = signal.map((value) => 1 / (1 + Math.exp(-(value + 2 * random.normal()))));
  return { labels, model, baseline };
}

describe('model report', () => {
  const { labels, model, baseline } = simulated(5000);

  it('gathers the metrics, curves and the baseline comparison of a binary model', () => {
    const report = buildBinaryReport(model, labels, { baselineScores: baseline, bandSize: 1000, topN: [100, 1000] });
    expect(modelReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
    expect(report).toMatchObject({ kind: 'binary', rowCount: 5000, positives: labels.reduce((total, label) => total + label, 0), revenue: null });
    expect(report.metrics).toEqual({ auc: rocAuc(model, labels), prAuc: averagePrecision(model, labels), logLoss: logLoss(model, labels), brier: brierScore(model, labels) });
    expect(report.baseline).toMatchObject({ auc: rocAuc(model, labels), baselineAuc: rocAuc(baseline, labels), beatsBaseline: true });
    expect(report.gainsByDecile).toHaveLength(10);
    expect(report.incidenceByRankBand).toHaveLength(5);
    expect(report.topNPrecision.map((entry) => entry.n)).toEqual([100, 1000]);
    // The simulated model is calibrated by construction.
    expect(report.calibrationCurve?.expectedCalibrationError).toBeLessThan(0.03);
  });

  it('reports an amount model with expected against realised revenue', () => {
    const random = seededRandom(42);
    const expectedValue = model.map((p) => p * 25);
    const actual = labels.map((label) => (label === 1 ? 10 + random.uniform() * 30 : 0));
    const report = buildAmountReport(expectedValue, actual, { probabilities: model });
    expect(modelReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
    expect(report.kind).toBe('amount');
    expect(report.positives).toBe(labels.reduce((total, label) => total + label, 0));
    expect(report.metrics.auc).toBeCloseTo(rocAuc(model, labels), 12);
    expect(report.metrics.logLoss).toBeCloseTo(logLoss(model, labels), 12);
    expect(report.revenue?.totals.realised).toBeCloseTo(actual.reduce((total, value) => total + value, 0), 6);
    expect(report.revenue?.totals.expected).toBeCloseTo(expectedValue.reduce((total, value) => total + value, 0), 6);
    const withoutProbabilities = buildAmountReport(expectedValue, actual);
    expect(withoutProbabilities.metrics.logLoss).toBeNull();
    expect(withoutProbabilities.calibrationCurve).toBeNull();
  });

  it('renders aligned plain-text tables for the CLI', () => {
    const text = formatReportTable(buildBinaryReport(model, labels, { baselineScores: baseline }));
    expect(text).toContain('beats the baseline');
    const lines = text.split('\n');
    const start = lines.indexOf('Gains by decile');
    const gains = lines.slice(start + 1, start + 13);
    expect(gains[0]).toMatch(/^Decile\s+Rows\s+Positives\s+Rate\s+Lift\s+Cum\. gains\s+Cum\. lift$/);
    // Right-aligned numbers: every line of the table ends at the same column.
    expect(new Set(gains.map((line) => line.length)).size).toBe(1);
    expect(gains[2]).toMatch(/^1\s+500\s/);
    expect(text).toContain('1–1,000');
    const amount = formatReportTable(buildAmountReport(model.map((p) => p * 25), labels.map((label) => label * 20)));
    expect(amount).toContain('Revenue: expected');
    expect(amount).not.toContain('Calibration');
    const few = formatReportTable(buildBinaryReport(model, labels, { bandSize: 100 }), { maxRankBands: 3 });
    expect(few).toContain('201–300');
    expect(few).not.toContain('301–400');
    expect(few).toContain('… 47 more bands');
  });
});
