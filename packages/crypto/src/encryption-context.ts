import { invalidInput } from './crypto-failure.js';

/** What a stored object (an upload, an export, a model file) is bound to. */
export interface ObjectContext {
  readonly orgId: string;
  readonly purpose: 'object';
  /** The object's key in the store, e.g. `uploads/2026/…/donors.csv`. */
  readonly objectKey: string;
}

/** What an encrypted database value is bound to: one column of one row of one organisation. */
export interface FieldContext {
  readonly orgId: string;
  readonly purpose: 'field';
  readonly table: string;
  readonly column: string;
  readonly rowId: string;
}

/**
 * The additional authenticated data of a ciphertext. Decryption succeeds only with the exact
 * context used to encrypt, so a ciphertext copied to another organisation, object, row or
 * column fails to decrypt instead of being read in the wrong place.
 */
export type EncryptionContext = ObjectContext | FieldContext;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const identifierPattern = /^[a-z_][a-z0-9_]{0,62}$/;
// A lone surrogate is encoded to UTF-8 as U+FFFD, so two different strings would serialise to
// the same bytes and the encoding would stop being injective. Such strings are refused.
const loneSurrogate = /\p{Surrogate}/u;
/** False for strings with a lone surrogate, which UTF-8 cannot represent faithfully. */
export function isWellFormedText(value: string): boolean {
  return !loneSurrogate.test(value);
}

const maxObjectKeyBytes = 1024;
const maxRowIdBytes = 256;
const label = 'kindling.aad.v1';

/** Lower-case UUID, the one spelling of an organisation id used in keys and AAD. */
export function canonicalOrgId(orgId: string): string {
  if (typeof orgId !== 'string' || !uuidPattern.test(orgId)) throw invalidInput('orgId must be a UUID');
  return orgId.toLowerCase();
}

/** The 16 bytes of a UUID, as written into envelope headers. */
export function orgIdBytes(orgId: string): Buffer {
  return Buffer.from(canonicalOrgId(orgId).replaceAll('-', ''), 'hex');
}

/** The UUID text of 16 header bytes. */
export function orgIdFromBytes(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function text(value: unknown, what: string, maxBytes: number): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidInput(`${what} must be a non-empty string`);
  if (!isWellFormedText(value)) throw invalidInput(`${what} must be well-formed Unicode`);
  if (Buffer.byteLength(value, 'utf8') > maxBytes) throw invalidInput(`${what} is longer than ${String(maxBytes)} bytes`);
  return value;
}

function identifier(value: unknown, what: string): string {
  if (typeof value !== 'string' || !identifierPattern.test(value)) throw invalidInput(`${what} must be a lower-case SQL identifier`);
  return value;
}

/**
 * Serialises a context canonically: a label, then each element as a 4-byte big-endian length and
 * its UTF-8 bytes, in an order fixed by the purpose. Length prefixes make the encoding injective
 * (no choice of values can make `table="a_b", column="c"` collide with `table="a", column="b_c"`,
 * as joining with a separator could), and the fixed order makes it independent of the order in
 * which the caller's object literal lists its properties (which JSON.stringify would not be).
 * Properties other than the named ones are ignored.
 */
export function encodeContext(context: EncryptionContext): Buffer {
  const orgId = canonicalOrgId(context.orgId);
  let elements: readonly string[];
  switch (context.purpose) {
    case 'object':
      elements = [label, 'object', orgId, text(context.objectKey, 'objectKey', maxObjectKeyBytes)];
      break;
    case 'field':
      elements = [
        label,
        'field',
        orgId,
        identifier(context.table, 'table'),
        identifier(context.column, 'column'),
        text(context.rowId, 'rowId', maxRowIdBytes),
      ];
      break;
    default:
      throw invalidInput("purpose must be 'object' or 'field'");
  }
  const parts: Buffer[] = [];
  for (const element of elements) {
    const bytes = Buffer.from(element, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}
