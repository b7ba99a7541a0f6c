/**
 * Remembers, for this browser tab only (sessionStorage), which upload each file went to, so an
 * upload cut short by a reload goes on where it stopped when the same file is chosen again.
 * Files are known by a salted SHA-256 of name, size and modification time: what is stored names
 * no file and no person, and the salt (random per tab) keeps the fingerprint from being compared
 * with anything outside it.
 */

export interface RememberedUpload {
  orgId: string;
  uploadId: string;
  chunkSize: number;
}

export interface FileIdentity {
  name: string;
  size: number;
  lastModified: number;
}

interface Stored {
  salt: string;
  uploads: Record<string, RememberedUpload>;
}

const STORAGE_KEY = 'kindling.import-uploads';

function randomSalt(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function isRemembered(value: unknown): value is RememberedUpload {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.orgId === 'string' && typeof entry.uploadId === 'string' && typeof entry.chunkSize === 'number';
}

function parseStored(text: string | null): Stored | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const { salt, uploads } = value as Record<string, unknown>;
    if (typeof salt !== 'string' || typeof uploads !== 'object' || uploads === null) return null;
    const kept: Record<string, RememberedUpload> = {};
    for (const [fingerprint, entry] of Object.entries(uploads)) if (isRemembered(entry)) kept[fingerprint] = entry;
    return { salt, uploads: kept };
  } catch {
    return null;
  }
}

export class UploadResumeStore {
  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'>) {}

  private read(): Stored {
    const stored = parseStored(this.storage.getItem(STORAGE_KEY));
    if (stored) return stored;
    const fresh = { salt: randomSalt(), uploads: {} };
    this.write(fresh);
    return fresh;
  }

  private write(stored: Stored): void {
    try {
      this.storage.setItem(STORAGE_KEY, JSON.stringify(stored));
    } catch {
      // Storage full or disabled: uploads still work, they just cannot resume after a reload.
    }
  }

  async fingerprint(file: FileIdentity): Promise<string> {
    const text = `${this.read().salt}\n${file.name}\n${String(file.size)}\n${String(file.lastModified)}`;
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  }

  recall(fingerprint: string, orgId: string): RememberedUpload | null {
    const entry = this.read().uploads[fingerprint];
    return entry?.orgId === orgId ? entry : null;
  }

  remember(fingerprint: string, upload: RememberedUpload): void {
    const stored = this.read();
    this.write({ ...stored, uploads: { ...stored.uploads, [fingerprint]: upload } });
  }

  /** Uploads of `orgId` still remembered: ones a reload interrupted, to offer going on with. */
  pending(orgId: string): RememberedUpload[] {
    return Object.values(this.read().uploads).filter((entry) => entry.orgId === orgId);
  }

  /** Forgets an upload by its id (after it was cancelled, imported, or the server no longer has it). */
  forgetUpload(uploadId: string): void {
    const stored = this.read();
    this.write({ ...stored, uploads: Object.fromEntries(Object.entries(stored.uploads).filter(([, entry]) => entry.uploadId !== uploadId)) });
  }
}
