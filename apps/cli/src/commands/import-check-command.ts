import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { z } from 'zod';
import type { Config } from '@kindling/config';
import { checkImport, importPresets, referenceSchema, rejectionReportHeader, rejectionReportLine, type ImportCheck, type Rejection } from '@kindling/crm-import';
import { AppError } from '@kindling/errors';
import { commandPreset } from './mapping-file.js';

export interface ImportCheckCommandOptions {
  /** generic when neither this nor `mapping` is given. */
  readonly preset?: string;
  /** A JSON file of saved mappings for files no preset knows: instead of a preset. */
  readonly mapping?: string;
  readonly currency: string;
  readonly mode: string;
  readonly dateOrder?: string;
  readonly report?: string;
}

const presetIds = importPresets.map((preset) => preset.id);
/** Every date field of the reference schema: what --date-order speaks for. */
const dateFieldNames = [...new Set(referenceSchema.flatMap((entity) => entity.fields.filter((field) => field.type === 'date').map((field) => field.name)))];

const optionsSchema = z.object({
  preset: z.enum(presetIds as [string, ...string[]], { error: `--preset must be one of ${presetIds.join(', ')}` }).optional(),
  mapping: z.string().min(1).optional(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, '--currency must be an ISO 4217 code such as GBP')
    .transform((code) => code.toUpperCase()),
  mode: z.enum(['complete', 'delta'], { error: '--mode must be complete or delta' }),
  dateOrder: z.enum(['dmy', 'mdy'], { error: '--date-order must be dmy or mdy' }).optional(),
  report: z.string().min(1).optional(),
});

/**
 * `kindling import check FILES...`: reads CRM export files (CSV, XLSX or zips of them) exactly as
 * an import will — preset mapping, per-column formats, every row, references across files — and
 * prints what would be accepted and refused, with a CSV report of every refused cell. Writes
 * nothing to the database: run it before an import, or on a file a CRM has just exported.
 * Exits 1 when the files cannot be imported as they are (questions to answer, missing columns,
 * or more refused rows than IMPORT_MAX_REJECTED_SHARE allows).
 */
export async function importCheckCommand(files: readonly string[], options: ImportCheckCommandOptions, config: Config, print: (line: string) => void): Promise<boolean> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', parsed.error.issues.map((issue) => issue.message).join('; '));
  if (files.length === 0) throw new AppError('VALIDATION_FAILED', 'Name at least one file to check.');
  const { preset, mapping, currency, mode, dateOrder, report } = parsed.data;
  const checkPreset = await commandPreset({ preset, mapping });
  for (const file of files) await assertReadable(file, config.imports.maxBytes);

  const check = await checkImport(
    files.map((file) => ({ name: path.basename(file), bytes: createReadStream(file) })),
    {
      preset: checkPreset,
      organisationCurrency: currency,
      mode,
      limits: { maxEntries: 1000, maxTotalBytes: config.imports.maxBytes, maxRatio: 200 },
      ...(dateOrder === undefined ? {} : { answersForEveryFile: Object.fromEntries(dateFieldNames.map((field) => [field, dateOrder])) }),
    },
  );
  printSummary(check, config.imports.maxRejectedShare, print);
  if (report !== undefined) {
    await writeReport(report, check.rejections);
    print(`Report of refused cells: ${path.resolve(report)} (${String(check.rejections.length)} rows${check.rejections.length < check.rejected ? ', the first ones' : ''}). It holds values from the files: treat it as personal data.`);
  }
  return importable(check, config.imports.maxRejectedShare);
}

async function assertReadable(file: string, maxBytes: number): Promise<void> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (stat?.isFile() !== true) throw new AppError('VALIDATION_FAILED', `${file} is not a file that can be read.`);
  if (stat.size > maxBytes) throw new AppError('VALIDATION_FAILED', `${file} is larger than IMPORT_MAX_BYTES (${String(maxBytes)} bytes).`);
}

function importable(check: ImportCheck, maxShare: number): boolean {
  const blocked = check.files.some((file) => file.questions.length > 0 || file.missingRequired.length > 0 || file.duplicateHeaders.length > 0);
  return !blocked && check.read > 0 && check.rejected / check.read <= maxShare;
}

function printSummary(check: ImportCheck, maxShare: number, print: (line: string) => void): void {
  const width = Math.max(4, ...check.files.map((file) => file.file.length));
  print(`${'file'.padEnd(width)}  entity           read  accepted  refused  skipped`);
  for (const file of check.files) {
    print(`${file.file.padEnd(width)}  ${file.entity.padEnd(15)} ${String(file.read).padStart(5)} ${String(file.accepted).padStart(9)} ${String(file.rejected).padStart(8)} ${String(file.skipped).padStart(8)}`);
    if (file.missingRequired.length > 0) print(`  has no column for: ${file.missingRequired.join(', ')}`);
    if (file.duplicateHeaders.length > 0) print(`  has these headers twice: ${file.duplicateHeaders.join(', ')}`);
    for (const question of file.questions) {
      print(
        question.kind === 'date-order'
          ? `  ${question.column}: dates such as ${question.examples.join(', ')} read both day-first and month-first; say which with --date-order dmy or mdy`
          : `  ${question.column}: amounts such as 1,000 read both ways; the organisation's decimal separator decides`,
      );
    }
  }
  for (const file of check.unrecognisedFiles) print(`${file}: not a file of this preset (left out)`);
  const share = check.read === 0 ? 0 : check.rejected / check.read;
  print(`total: ${String(check.read)} rows, ${String(check.accepted)} accepted, ${String(check.rejected)} refused (${(share * 100).toFixed(2)} %; an import refuses to run above ${(maxShare * 100).toFixed(0)} %)`);
  if (check.unresolvedContactReferences > 0) print(`${String(check.unresolvedContactReferences)} rows refer to contacts not in these files: a delta import looks them up among the organisation's contacts.`);
  if (check.unresolvedPlanReferences > 0) print(`${String(check.unresolvedPlanReferences)} payment failures refer to recurring plans not in these files: a delta import looks them up among the organisation's plans.`);
  const reasons = Object.entries(check.rejectedByReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) print('refused because:');
  for (const [reason, count] of reasons.slice(0, 10)) print(`  ${String(count).padStart(7)}  ${reason}`);
}

async function writeReport(file: string, rejections: readonly Rejection[]): Promise<void> {
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  out.write(rejectionReportHeader);
  for (const rejection of rejections) {
    if (!out.write(rejectionReportLine(rejection))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
