import type { ModelReport } from './model-report.js';

/** Thousands grouped with commas, independent of the machine's locale. */
function integer(value: number): string {
  const digits = Math.abs(Math.round(value)).toString();
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return `${value < 0 && Math.round(value) !== 0 ? '-' : ''}${groups.join(',')}`;
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const ratio = (value: number) => value.toFixed(2);
const metric = (value: number | null) => (value === null ? '—' : value.toFixed(4));

/** Columns padded to their widest cell: the first left-aligned, the rest right-aligned (numbers). */
function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

function rankRange(first: number, last: number): string {
  return `${integer(first)}–${integer(last)}`;
}

function summary(report: ModelReport): string[] {
  const lines = [
    `${report.kind === 'binary' ? 'Response' : 'Amount'} model: ${integer(report.rowCount)} rows, ${integer(report.positives)} ${report.kind === 'binary' ? 'positive' : 'giving'} (${percent(report.positives / report.rowCount)})`,
    `AUC ${metric(report.metrics.auc)}   PR AUC ${metric(report.metrics.prAuc)}   log loss ${metric(report.metrics.logLoss)}   Brier ${metric(report.metrics.brier)}`,
  ];
  if (report.baseline !== null) {
    const { auc, baselineAuc, difference, beatsBaseline } = report.baseline;
    lines.push(`Baseline (logistic regression) AUC ${metric(baselineAuc)}: model ${metric(auc)}, ${difference >= 0 ? '+' : ''}${difference.toFixed(4)} — ${beatsBaseline ? 'beats the baseline' : 'does NOT beat the baseline'}`);
  }
  return lines;
}

function calibrationSection(report: ModelReport): string[] {
  if (report.calibrationCurve === null) return [];
  const { bins, expectedCalibrationError, strategy } = report.calibrationCurve;
  return [
    '',
    `Calibration (${strategy} bins), expected calibration error ${metric(expectedCalibrationError)}`,
    ...table(
      ['Bin', 'Rows', 'Mean predicted', 'Observed'],
      bins.map((bin) => [`${bin.lower.toFixed(3)}–${bin.upper.toFixed(3)}`, integer(bin.count), percent(bin.meanPredicted), percent(bin.observedRate)]),
    ),
  ];
}

function revenueSection(report: ModelReport): string[] {
  if (report.revenue === null) return [];
  const { byDecile, totals } = report.revenue;
  return [
    '',
    `Revenue: expected ${integer(totals.expected)}, realised ${integer(totals.realised)} (realised/expected ${ratio(totals.realisedToExpected)})`,
    ...table(
      ['Decile', 'Ranks', 'Expected', 'Realised', 'Givers', 'Cum. realised'],
      byDecile.map((group, index) => [String(index + 1), rankRange(group.firstRank, group.lastRank), integer(group.expected), integer(group.realised), integer(group.givers), percent(group.cumulativeRealisedShare)]),
    ),
  ];
}

export interface ReportTableOptions {
  /** Rank bands shown at most (default 20); a large file has thousands, and the top ones are what gets mailed. */
  readonly maxRankBands?: number;
}

function rankBandSection(report: ModelReport, maxRankBands: number): string[] {
  const shown = report.incidenceByRankBand.slice(0, maxRankBands);
  const hidden = report.incidenceByRankBand.length - shown.length;
  return [
    '',
    'Incidence by rank band',
    ...table(
      ['Ranks', 'Rows', 'Positives', 'Rate', 'Cum. positives', 'Cum. rate'],
      shown.map((band) => [rankRange(band.firstRank, band.lastRank), integer(band.count), integer(band.positives), percent(band.rate), integer(band.cumulativePositives), percent(band.cumulativeRate)]),
    ),
    ...(hidden > 0 ? [`… ${integer(hidden)} more bands`] : []),
  ];
}

/** The report as aligned plain-text tables for the CLI. */
export function formatReportTable(report: ModelReport, options: ReportTableOptions = {}): string {
  const lines = [
    ...summary(report),
    '',
    'Gains by decile',
    ...table(
      ['Decile', 'Rows', 'Positives', 'Rate', 'Lift', 'Cum. gains', 'Cum. lift'],
      report.gainsByDecile.map((row) => [String(row.group), integer(row.count), integer(row.positives), percent(row.rate), ratio(row.lift), percent(row.cumulativeGains), ratio(row.cumulativeLift)]),
    ),
    ...rankBandSection(report, options.maxRankBands ?? 20),
    '',
    'Top-N precision',
    ...table(
      ['N', 'Rows', 'Positives', 'Precision'],
      report.topNPrecision.map((entry) => [integer(entry.n), integer(entry.count), integer(entry.positives), percent(entry.precision)]),
    ),
    ...calibrationSection(report),
    ...revenueSection(report),
  ];
  return `${lines.join('\n')}\n`;
}
