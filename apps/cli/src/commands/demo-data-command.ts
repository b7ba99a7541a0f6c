import path from 'node:path';
import { z } from 'zod';
import { demoFormats, generateDemoData } from '@kindling/demo-data';
import { AppError } from '@kindling/errors';

export interface DemoDataCommandOptions {
  readonly contacts: string;
  readonly years: string;
  readonly seed: string;
  readonly format: string;
  readonly out: string;
  readonly quirkRate: string;
  readonly untaggedFrom?: string;
  readonly withForecastYear?: boolean;
}

const wholeNumber = (name: string, max: number) =>
  z.coerce.number({ error: `--${name} must be a number` }).int(`--${name} must be a whole number`).min(1, `--${name} must be at least 1`).max(max, `--${name} must be at most ${max.toLocaleString('en-GB')}`);

const optionsSchema = z.object({
  contacts: wholeNumber('contacts', 10_000_000),
  years: wholeNumber('years', 30),
  seed: z.string().min(1, '--seed must not be empty').max(200, '--seed is too long'),
  format: z.enum(demoFormats, { error: `--format must be one of ${demoFormats.join(', ')}` }),
  out: z.string().min(1, '--out must name a folder'),
  quirkRate: z.coerce.number({ error: '--quirk-rate must be a number' }).min(0, '--quirk-rate must be between 0 and 0.5').max(0.5, '--quirk-rate must be between 0 and 0.5'),
  untaggedFrom: z.coerce.number({ error: '--untagged-from must be a year' }).int('--untagged-from must be a year').min(1900, '--untagged-from must be a year from 1900 to 2100').max(2100, '--untagged-from must be a year from 1900 to 2100').optional(),
});

/**
 * `kindling demo-data`: writes a synthetic charity's CRM export (in a preset's layout) and its
 * ground truth into a new folder. Needs no configuration or database: the data is fake, so
 * developers, demos and benchmarks can use it anywhere.
 */
export async function demoDataCommand(options: DemoDataCommandOptions, print: (line: string) => void): Promise<void> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', parsed.error.issues.map((issue) => issue.message).join('; '));
  const { contacts, years, seed, format, out, quirkRate, untaggedFrom } = parsed.data;
  const writeForecastYear = options.withForecastYear === true;
  const outDir = path.resolve(out);
  const started = process.hrtime.bigint();
  const summary = await generateDemoData({ contacts, years, seed, format, outDir, quirkRate, writeForecastYear, ...(untaggedFrom === undefined ? {} : { untaggedFromYear: untaggedFrom }) });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  print(`demo data (${format}, seed ${JSON.stringify(seed)}) written to ${outDir} in ${seconds.toFixed(1)} s:`);
  print(`  ${summary.contacts.toLocaleString('en-GB')} contacts (+${summary.duplicateContacts.toLocaleString('en-GB')} duplicates), ${summary.gifts.toLocaleString('en-GB')} gifts, ${summary.recurringPlans.toLocaleString('en-GB')} recurring plans, ${summary.communications.toLocaleString('en-GB')} communications, ${summary.campaigns.toLocaleString('en-GB')} campaigns`);
  print(`  files: ${summary.files.join(', ')}`);
  print('  ground-truth.csv holds the answers for scoring models: never import it.');
  if (writeForecastYear) print('  the files go on a year past the ground truth\'s day: cut off there to score models against what happened.');
}
