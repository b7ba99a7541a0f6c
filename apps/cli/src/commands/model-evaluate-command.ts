import { z } from 'zod';
import type { Config } from '@kindling/config';
import { AppError } from '@kindling/errors';
import { buildTrainingSet, catalogueFor, featureCatalogue, loadContactHistory, outcomeDefinitions, outcomeNames, type FeatureDefinition } from '@kindling/features';
import type { Logger } from '@kindling/logger';
import { formatReportTable } from '@kindling/model-evaluation';
import { modelImportance, trainPropensityModel } from '@kindling/model-training';
import { withAppDatabase } from '../runtime/app-database.js';

type Print = (line: string) => void;

export interface ModelEvaluateOptions {
  readonly org?: string;
  readonly outcome?: string;
  readonly windowMonths: string;
  readonly cutoffs: string;
  readonly stepMonths: string;
}

const binaryOutcomes = outcomeDefinitions.filter((definition) => definition.kind === 'binary').map((definition) => definition.name);

const optionsSchema = z.object({
  org: z.uuid({ error: '--org must be the organisation id (a UUID)' }),
  outcome: z.enum(binaryOutcomes as [string, ...string[]], { error: `--outcome must be one of ${binaryOutcomes.join(', ')}` }),
  windowMonths: z.coerce.number().int('--window-months must be a whole number').min(1, '--window-months must be from 1 to 60').max(60, '--window-months must be from 1 to 60'),
  cutoffs: z.coerce.number().int('--cutoffs must be a whole number').min(2, '--cutoffs must be from 2 to 10: the latest tests, the earlier ones train').max(10, '--cutoffs must be from 2 to 10'),
  stepMonths: z.coerce.number().int('--step-months must be a whole number').min(1, '--step-months must be from 1 to 36').max(36, '--step-months must be from 1 to 36'),
});

/**
 * `kindling model evaluate --org ORG --outcome NAME`: trains the outcome's model on the
 * organisation's history exactly as a scoring run would — rolling cutoffs, validated by time — and
 * prints its report and top predictors. Reads only; works while Kindling runs.
 */
export async function modelEvaluateCommand(options: ModelEvaluateOptions, config: Config, logger: Logger, print: Print): Promise<void> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', parsed.error.issues.map((issue) => issue.message).join('; '));
  const { org, outcome, windowMonths, cutoffs, stepMonths } = parsed.data;
  const history = await withAppDatabase(config, logger, (db) => loadContactHistory(db, org));
  if (history.contactCount === 0) throw new AppError('NOT_FOUND', `Organisation ${org} has no contacts to learn from: import its CRM data first.`);
  const set = buildTrainingSet(history, { outcome: outcome as (typeof outcomeNames)[number], windowMonths, cutoffCount: cutoffs, stepMonths });
  const model = trainPropensityModel(set);
  const definition = outcomeDefinitions.find((entry) => entry.name === outcome);
  print(`Model ${outcome}: ${definition?.label ?? ''} in the ${String(windowMonths)} months after the cutoff; eligible: ${definition?.eligibility ?? ''}.`);
  print(`Trained on cutoffs ${model.cutoffs.slice(0, -1).join(', ')} (${model.rows.train.toLocaleString('en-GB')} rows); tuned on ${String(model.cutoffs.at(-1))} (${model.rows.tuning.toLocaleString('en-GB')} rows) and tested on the other contacts of that cutoff (${model.rows.test.toLocaleString('en-GB')} rows).`);
  print(`Candidates (AUC on the tuning rows): ${model.candidates.map((candidate) => `${candidate.name} ${candidate.tuningAuc.toFixed(3)}${candidate.iterations === undefined ? '' : ` (${String(candidate.iterations)} trees)`}`).join(', ')}; chosen: ${model.champion.name}.`);
  print('');
  print(formatReportTable(model.report));
  print('');
  const catalogue = new Map<string, FeatureDefinition>([...featureCatalogue, ...catalogueFor(history).definitions].map((entry) => [entry.name, entry]));
  print('Top predictors (mean absolute contribution to the log-odds):');
  modelImportance(model, set.matrix)
    .slice(0, 10)
    .forEach((entry, index) => {
      print(`${String(index + 1).padStart(3)}. ${entry.feature.padEnd(40)} ${entry.meanAbsContribution.toFixed(3)}  ${catalogue.get(entry.feature)?.description ?? ''}`);
    });
}

/** `kindling model features`: the feature catalogue, as the app lists it (custom attributes come per organisation). */
export function modelFeaturesCommand(print: Print): void {
  const byFamily = new Map<string, FeatureDefinition[]>();
  for (const entry of featureCatalogue) byFamily.set(entry.family, [...(byFamily.get(entry.family) ?? []), entry]);
  print(`${String(featureCatalogue.length)} features in ${String(byFamily.size)} families, plus one per custom contact attribute of the organisation.`);
  for (const [family, entries] of byFamily) {
    print('');
    print(`${family} (${String(entries.length)})`);
    for (const entry of entries) print(`  ${entry.name.padEnd(48)} ${entry.description}`);
  }
}
