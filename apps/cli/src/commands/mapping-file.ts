import fs from 'node:fs/promises';
import { z } from 'zod';
import { importPresetNamed, presetFromMappings, referenceSchema, type ImportPreset } from '@kindling/crm-import';
import { AppError, isAppError } from '@kindling/errors';

const entityNames = referenceSchema.map((entity) => entity.name) as [string, ...string[]];
/** Larger than any honest mapping file; the file is read whole. */
const maxMappingFileBytes = 1024 * 1024;

const targetSchema = z.union([
  z.strictObject({ field: z.string().min(1).max(200) }),
  z.strictObject({ attribute: z.string().min(1).max(200), kind: z.enum(['numeric', 'categorical']) }),
  z.null(),
]);

const mappingFileSchema = z
  .array(
    z.strictObject({
      fileName: z.string().min(1).max(500),
      mapping: z.strictObject({
        entity: z.enum(entityNames),
        columns: z.array(z.strictObject({ header: z.string().max(500), target: targetSchema })).max(2000),
      }),
    }),
  )
  .min(1)
  .max(100);

function issueText(issue: z.core.$ZodIssue): string {
  const where = issue.path.length === 0 ? 'the file' : issue.path.map((part) => (typeof part === 'number' ? `[${String(part)}]` : `.${String(part)}`)).join('').replace(/^\./u, '');
  return `${where}: ${issue.message}`;
}

/**
 * `--mapping FILE.json`: the saved mappings of files no preset knows, as a list of
 * `{ "fileName": "...", "mapping": { "entity": "contacts", "columns": [{ "header": "...", "target": ... }] } }`,
 * turned into the import preset that reads exactly those files. Every problem is named with the file.
 */
export async function readMappingFile(file: string): Promise<ImportPreset> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (stat?.isFile() !== true) throw new AppError('VALIDATION_FAILED', `--mapping ${file} is not a file that can be read.`);
  if (stat.size > maxMappingFileBytes) throw new AppError('VALIDATION_FAILED', `--mapping ${file} is larger than ${String(maxMappingFileBytes)} bytes: is it the right file?`);
  const text = await fs.readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `--mapping ${file} is not JSON: ${error instanceof Error ? error.message : 'unreadable'}.`);
  }
  const parsed = mappingFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', `--mapping ${file} is not a list of { fileName, mapping: { entity, columns: [{ header, target }] } }: ${parsed.error.issues.slice(0, 5).map(issueText).join('; ')}.`);
  }
  try {
    return presetFromMappings(parsed.data as Parameters<typeof presetFromMappings>[0]);
  } catch (error) {
    if (isAppError(error) && error.code === 'VALIDATION_FAILED') throw new AppError('VALIDATION_FAILED', `--mapping ${file}: ${error.message}`);
    throw error;
  }
}

/** The preset a command names: `--preset` (generic when neither is given) or `--mapping`, never both. */
export async function commandPreset(options: { readonly preset?: string | undefined; readonly mapping?: string | undefined }): Promise<ImportPreset> {
  if (options.preset !== undefined && options.mapping !== undefined) throw new AppError('VALIDATION_FAILED', 'Give --preset or --mapping, not both.');
  if (options.mapping !== undefined) return readMappingFile(options.mapping);
  return importPresetNamed((options.preset ?? 'generic') as Parameters<typeof importPresetNamed>[0]);
}
