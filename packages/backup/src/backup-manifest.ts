import { z } from 'zod';

export const backupFormat = 'kindling.backup.v1';

/** `20261129-083100-1a2b3c4d`: sortable by time, valid as an object-key segment, no personal data. */
export const backupIdPattern = /^\d{8}-\d{6}-[0-9a-f]{8}$/;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * What a backup says about itself. Written (encrypted, like the data) after the data object, so a
 * backup without a manifest is an unfinished one and is never listed or restored.
 */
export const backupManifestSchema = z.object({
  format: z.literal(backupFormat),
  id: z.string().regex(backupIdPattern),
  orgId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  createdAt: z.iso.datetime(),
  /** The last migration applied when the backup was taken; a restore needs the same one. */
  schemaVersion: z.string().min(1).max(200),
  /** Rows and SHA-256 of each table's lines, in restore order. */
  tables: z.array(z.object({ name: z.string().regex(/^[a-z_]+$/), rows: z.number().int().min(0), sha256: sha256Hex })),
  /** Size and SHA-256 of the whole (plaintext) data object. */
  data: z.object({ bytes: z.number().int().min(0), sha256: sha256Hex }),
});

export type BackupManifest = z.infer<typeof backupManifestSchema>;
