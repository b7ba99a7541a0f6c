import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '@kindling/config';
import { importPresets, referenceSchema } from '@kindling/crm-import';
import { AppError } from '@kindling/errors';
import type { Logger } from '@kindling/logger';
import { runImport, type ImportOutcome } from '@kindling/reference-store';
import { withAppDatabase } from '../runtime/app-database.js';
import { createPlatformServices } from '../runtime/platform-services.js';
import { commandPreset } from './mapping-file.js';

export interface ImportCommandOptions {
  readonly org?: string;
  /** generic when neither this nor `mapping` is given. */
  readonly preset?: string;
  /** A JSON file of saved mappings for files no preset knows: instead of a preset. */
  readonly mapping?: string;
  readonly currency: string;
  readonly mode: string;
  readonly dateOrder?: string;
}

const presetIds = importPresets.map((preset) => preset.id);
const dateFieldNames = [...new Set(referenceSchema.flatMap((entity) => entity.fields.filter((field) => field.type === 'date').map((field) => field.name)))];

const optionsSchema = z.object({
  org: z.uuid({ error: '--org must be the organisation id (a UUID)' }),
  preset: z.enum(presetIds as [string, ...string[]], { error: `--preset must be one of ${presetIds.join(', ')}` }).optional(),
  mapping: z.string().min(1).optional(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, '--currency must be an ISO 4217 code such as GBP')
    .transform((code) => code.toUpperCase()),
  mode: z.enum(['complete', 'delta'], { error: '--mode must be complete or delta' }),
  dateOrder: z.enum(['dmy', 'mdy'], { error: '--date-order must be dmy or mdy' }).optional(),
});

/**
 * `kindling import --org ORG FILES...`: imports CRM export files into an organisation — all or
 * nothing, in one transaction; unchanged rows untouched; a complete import removes what the CRM
 * no longer holds. Raw files stay encrypted in the object store. Works while Kindling runs.
 */
export async function importCommand(files: readonly string[], options: ImportCommandOptions, config: Config, logger: Logger, print: (line: string) => void): Promise<boolean> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', parsed.error.issues.map((issue) => issue.message).join('; '));
  if (files.length === 0) throw new AppError('VALIDATION_FAILED', 'Name at least one file to import.');
  for (const file of files) {
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat?.isFile() !== true) throw new AppError('VALIDATION_FAILED', `${file} is not a file that can be read.`);
    if (stat.size > config.imports.maxBytes) throw new AppError('VALIDATION_FAILED', `${file} is larger than IMPORT_MAX_BYTES (${String(config.imports.maxBytes)} bytes).`);
  }
  const { org, preset, mapping, currency, mode, dateOrder } = parsed.data;
  const importPreset = await commandPreset({ preset, mapping });
  const progress = progressLine(print);
  const outcome = await withAppDatabase(config, logger, async (db, effective) => {
    const services = await createPlatformServices(effective, db, logger);
    return runImport(
      { db, fields: services.fields, objectStore: services.objectStore },
      {
        orgId: org,
        preset: importPreset,
        mode,
        organisationCurrency: currency,
        files: files.map((file) => ({ name: path.basename(file), bytes: createReadStream(file) })),
        actor: { userId: null, tokenId: null },
        maxRejectedShare: config.imports.maxRejectedShare,
        limits: { maxEntries: 1000, maxTotalBytes: config.imports.maxBytes, maxRatio: 200 },
        ...(dateOrder === undefined ? {} : { answersForEveryFile: Object.fromEntries(dateFieldNames.map((field) => [field, dateOrder])) }),
        onProgress: progress.update,
      },
    );
  });
  progress.done();
  printOutcome(outcome, print);
  return outcome.status === 'applied';
}

/** One line that counts rows as they go: rewritten in place on a terminal, every 100,000 rows otherwise. */
function progressLine(print: (line: string) => void): { update: (progress: { file: string; rows: number }) => void; done: () => void } {
  const terminal = process.stdout.isTTY;
  let lastPrinted = 0;
  let shown = false;
  return {
    update({ file, rows }) {
      if (terminal) {
        process.stdout.write(`\r  reading ${file}: ${rows.toLocaleString('en-GB')} rows`);
        shown = true;
      } else if (rows - lastPrinted >= 100_000) {
        print(`  reading ${file}: ${rows.toLocaleString('en-GB')} rows`);
        lastPrinted = rows;
      }
    },
    done() {
      if (shown) process.stdout.write('\n');
    },
  };
}

function printOutcome(outcome: ImportOutcome, print: (line: string) => void): void {
  if (outcome.status === 'refused') {
    print(`Import ${outcome.runId} refused: ${outcome.problem ?? ''}`);
  } else {
    print(`Import ${outcome.runId} applied: ${String(outcome.read)} rows read, ${String(outcome.accepted)} accepted, ${String(outcome.rejected)} refused, ${String(outcome.skipped)} skipped.`);
    print('entity           inserted  updated  unchanged  deleted');
    for (const [entity, counts] of Object.entries(outcome.entities)) {
      print(`${entity.padEnd(15)} ${String(counts.inserted).padStart(9)} ${String(counts.updated).padStart(8)} ${String(counts.unchanged).padStart(10)} ${String(counts.deleted).padStart(8)}`);
    }
  }
  for (const file of outcome.unrecognisedFiles) print(`${file}: not a file of this preset (left out)`);
  const reasons = Object.entries(outcome.rejectedByReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) print('refused because:');
  for (const [reason, count] of reasons.slice(0, 10)) print(`  ${String(count).padStart(7)}  ${reason}`);
}
