import type { GroundTruth } from '../simulation/ground-truth.js';
import { openCsvSink, type CsvSink, type DemoOutput } from './csv-sink.js';

/** ground-truth.csv: the answers a model is scored against. Never part of an import. */
export const groundTruthFileName = 'ground-truth.csv';

const headers = [
  'contact_external_id', 'lapsed', 'p_respond_next_appeal', 'p_large_gift', 'p_reactivate', 'p_convert_to_monthly', 'p_rg_upgrade',
  'p_rg_churn', 'p_mid_level', 'p_major_gift', 'p_gift_in_will', 'expected_next_gift_amount',
];

const probability = (value: number | undefined): string => (value === undefined ? '' : value.toFixed(6));

export function openGroundTruthSink(output: DemoOutput): { sink: CsvSink; write(contactId: string, truth: GroundTruth): void } {
  const sink = openCsvSink(output.open(groundTruthFileName), { byteOrderMark: false, lineEnding: '\n' });
  sink.write(headers);
  return {
    sink,
    write: (contactId, truth) => {
      sink.write([
        contactId, truth.lapsed ? 'true' : 'false', probability(truth.respondsToNextAppeal), probability(truth.largeGift), probability(truth.reactivates),
        probability(truth.convertsToMonthly), probability(truth.upgradesRegularGift), probability(truth.regularGiftChurns), probability(truth.becomesMidLevel),
        probability(truth.majorGift), probability(truth.giftInWill), truth.expectedNextGiftAmount === undefined ? '' : truth.expectedNextGiftAmount.toFixed(2),
      ]);
    },
  };
}
