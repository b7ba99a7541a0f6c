import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackupService } from '@kindling/backup';
import { loadConfig, type Config } from '@kindling/config';
import { createContactStore } from '@kindling/contacts';
import { importPresetNamed } from '@kindling/crm-import';
import { createDatabase, ensureAppRole, migrateToLatest, readOrCreateSecretFile, sql, startEmbeddedPostgres, type Database, type EmbeddedPostgres, type Kysely } from '@kindling/db';
import { seedOrganisation } from '@kindling/db/testing';
import { createLogger } from '@kindling/logger';
import { runImport } from '@kindling/reference-store';
import { createScratchSpace, withScratchSpace, type ScratchSpace } from '@kindling/scratch';
import { appPasswordFile } from '../runtime/database-setup.js';
import { createPlatformServices, type PlatformServices } from '../runtime/platform-services.js';
import { scanForPlaintext } from '../test-support/plaintext-scanner.js';

/**
 * The canary: known personal values go through every stage that handles personal data, then
 * every byte Kindling left on disk — the home, PostgreSQL's data files and WAL, the object store
 * and the temp folders — is searched for them. Nothing may be found.
 *
 * A real Kindling home with its own embedded PostgreSQL (not the shared test cluster), so its
 * data folder can be scanned, and the platform services exactly as `kindling start` builds them.
 */

const tag = randomBytes(6).toString('hex');
const canary = {
  externalId: `CANARY-${tag}`,
  givenNames: `Canarygiven${tag}`,
  familyName: `Canaryfamily${tag}`,
  email: `canary.${tag}@example.org`,
  phone: `+44 7700 9${String(randomInt(10_000, 99_999))}`,
  addressLine: `${tag} Canary Wharf Lane`,
  dateOfBirth: '1957-02-13',
  notes: `canary-note-${tag} prefers a phone call`,
} as const;
/** What may appear nowhere on disk. The date of birth alone is too common to be a needle. */
const needles = Object.entries(canary)
  .filter(([field]) => field !== 'dateOfBirth')
  .map(([, value]) => value);

interface Kindling {
  readonly home: string;
  readonly config: Config;
  readonly postgres: EmbeddedPostgres;
  readonly ownerDb: Kysely<Database>;
  readonly appDb: Kysely<Database>;
  readonly platform: PlatformServices;
  readonly orgId: string;
}

/** A stage of the pipeline that handles personal data. Import, scoring and export add theirs here. */
interface CanaryStage {
  readonly name: string;
  run(kindling: Kindling): Promise<void>;
}

/** Scratch space left open on purpose during the scan: a live (or crashed) run's files are ciphertext too. */
let openScratch: ScratchSpace | undefined;

const stages: readonly CanaryStage[] = [
  {
    name: 'store a contact',
    async run({ appDb, platform, orgId }) {
      const contacts = createContactStore({ db: appDb, fields: platform.fields });
      const { id } = await contacts.saveContact(orgId, {
        externalId: canary.externalId,
        kind: 'individual',
        personal: {
          givenNames: canary.givenNames,
          familyName: canary.familyName,
          email: canary.email,
          phone: canary.phone,
          postalAddress: [canary.addressLine, 'London'],
          dateOfBirth: canary.dateOfBirth,
          notes: canary.notes,
        },
        postcodeDistrict: 'E14',
        birthYear: 1957,
      });
      expect((await contacts.findByEmail(orgId, canary.email)).map((contact) => [contact.id, contact.personal.notes])).toEqual([[id, canary.notes]]);
    },
  },
  {
    name: 'import a CRM export (raw files kept, refused values recorded)',
    async run({ appDb, platform, orgId }) {
      const contactsCsv = [
        'external_id,kind,given_names,family_name,email,phone,address_lines,postcode,notes',
        [`${canary.externalId}-IMPORTED`, 'individual', canary.givenNames, canary.familyName, canary.email, canary.phone, canary.addressLine, 'E14 5AB', canary.notes].join(','),
      ].join('\n');
      // A gift for a contact nobody has: refused, and its value (a CRM id) kept encrypted for the report.
      const giftsCsv = ['external_id,contact_external_id,date,amount', `G1,${canary.externalId}-IMPORTED,2024-01-05,25`, `G2,${canary.externalId}-MISSING,2024-01-06,5`].join('\n');
      const files = [
        { name: 'contacts.csv', bytes: Readable.from([Buffer.from(contactsCsv, 'utf8')]) },
        { name: 'gifts.csv', bytes: Readable.from([Buffer.from(giftsCsv, 'utf8')]) },
      ];
      const outcome = await runImport(
        { db: appDb, fields: platform.fields, objectStore: platform.objectStore },
        {
          orgId,
          preset: importPresetNamed('generic'),
          mode: 'delta',
          organisationCurrency: 'GBP',
          files,
          actor: { userId: null, tokenId: null },
          maxRejectedShare: 0.5,
          limits: { maxEntries: 10, maxTotalBytes: 1024 * 1024, maxRatio: 200 },
        },
      );
      expect(outcome).toMatchObject({ status: 'applied', accepted: 2, rejected: 1 });
    },
  },
  {
    name: 'upload a file to the object store',
    async run({ platform, orgId }) {
      const csv = `id,given,family,email,phone,address,notes\n${[canary.externalId, canary.givenNames, canary.familyName, canary.email, canary.phone, canary.addressLine, canary.notes].join(',')}\n`;
      const store = platform.objectStore(orgId);
      await store.put('uploads/canary/contacts.csv', Buffer.from(csv.repeat(500), 'utf8'));
      expect((await text(store.get('uploads/canary/contacts.csv'))).startsWith(csv)).toBe(true);
    },
  },
  {
    name: 'spill work files to scratch space',
    async run({ config, home }) {
      const root = path.join(home, 'tmp');
      const rows = `${canary.givenNames}\t${canary.email}\t${canary.notes}\n`.repeat(2000);
      await withScratchSpace(root, async (space) => {
        const file = await space.write(Buffer.from(rows, 'utf8'));
        expect(await text(file.read())).toBe(rows);
      });
      openScratch = await createScratchSpace(root);
      await openScratch.write(Buffer.from(rows, 'utf16le'));
      expect(config.home).toBe(home);
    },
  },
  {
    name: 'back up the organisation',
    async run({ appDb, platform, orgId }) {
      const backups = createBackupService({ db: appDb, objectStore: platform.objectStore });
      const manifest = await backups.createBackup(orgId);
      expect(manifest.tables.find((table) => table.name === 'contact')?.rows).toBe(2);
    },
  },
];

let kindling: Kindling | undefined;

function running(): Kindling {
  if (kindling === undefined) throw new Error('Kindling did not start');
  return kindling;
}

beforeAll(async () => {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-canary-'));
  // PostgreSQL runs as its own user under root and must traverse the home (as `kindling start` allows).
  await fs.chmod(home, 0o711);
  const config = loadConfig({ KINDLING_HOME: home, LOG_LEVEL: 'silent' });
  const postgres = await startEmbeddedPostgres({ directory: path.join(home, 'postgres'), port: 0 });
  const ownerDb = createDatabase({ url: postgres.ownerUrl, maxConnections: 2, applicationName: 'kindling-canary-owner' });
  await migrateToLatest(ownerDb as Kysely<unknown>);
  const appUrl = await ensureAppRole(ownerDb as Kysely<unknown>, postgres.ownerUrl, await readOrCreateSecretFile(appPasswordFile(config)));
  const appDb = createDatabase({ url: appUrl, maxConnections: 4, applicationName: 'kindling-canary' });
  const platform = await createPlatformServices(config, appDb, createLogger({ level: 'silent', name: 'canary' }));
  const { id: orgId } = await seedOrganisation(ownerDb, 'Canary Trust');
  kindling = { home, config, postgres, ownerDb, appDb, platform, orgId };
}, 120_000);

afterAll(async () => {
  await openScratch?.dispose();
  if (kindling === undefined) return;
  await kindling.appDb.destroy();
  await kindling.ownerDb.destroy();
  await kindling.postgres.stop();
  await fs.rm(kindling.home, { recursive: true, force: true });
});

/** Everything to scan: the home (PostgreSQL data and WAL, secrets, object store, scratch) and Kindling's temp folders. */
async function scanRoots(k: Kindling): Promise<string[]> {
  const roots = [k.home];
  if (k.config.objectStore.kind === 'local-folder' && !k.config.objectStore.root.startsWith(`${k.home}${path.sep}`)) roots.push(k.config.objectStore.root);
  // Other Kindling temp folders (tests running beside this one, initdb's). The shared test
  // cluster is left out (this test never writes to it, and it is large), and so is the import
  // benchmark's generated data set (gigabytes of synthetic rows, never touched by this test).
  const temp = os.tmpdir();
  const notOurs = ['kindling-test-pg-', 'kindling-bench-'];
  for (const name of await fs.readdir(temp)) {
    if (name.startsWith('kindling-') && !notOurs.some((prefix) => name.startsWith(prefix)) && path.join(temp, name) !== k.home) roots.push(path.join(temp, name));
  }
  return roots;
}

async function flushPostgres(k: Kindling): Promise<void> {
  // Everything written so far reaches the table files and a finished WAL segment.
  await sql`CHECKPOINT`.execute(k.ownerDb);
  await sql`SELECT pg_switch_wal()`.execute(k.ownerDb);
  await sql`CHECKPOINT`.execute(k.ownerDb);
}

describe('plaintext canary', () => {
  it('finds no personal value on disk after every stage ran', { timeout: 120_000 }, async () => {
    const k = running();
    for (const stage of stages) await stage.run(k);
    await flushPostgres(k);

    const result = await scanForPlaintext(await scanRoots(k), needles);
    expect(result.findings).toEqual([]);
    // The scan really covered what it claims: table files, WAL segments, objects, scratch.
    const walFiles = await fs.readdir(path.join(k.postgres.dataDirectory, 'pg_wal'));
    expect(walFiles.some((name) => /^[0-9A-F]{24}$/.test(name))).toBe(true);
    expect(result.filesScanned).toBeGreaterThan(500);
    expect(await fs.readdir(path.join(k.home, 'tmp'))).toHaveLength(1);
    // The object store is the local folder, and the upload and backup went there (as ciphertext).
    if (k.config.objectStore.kind !== 'local-folder') throw new Error('the canary needs the local object store');
    const objects = path.join(k.config.objectStore.root, 'org', k.orgId);
    expect((await fs.stat(path.join(objects, 'uploads', 'canary', 'contacts.csv'))).size).toBeGreaterThan(100_000);
    expect(await fs.readdir(path.join(objects, 'backups'))).toHaveLength(1);
  });

  it('positive control: the same scan finds a value planted in plain text, in a file (UTF-16LE) and in PostgreSQL', { timeout: 120_000 }, async () => {
    const k = running();
    const planted = `planted-${tag}`;
    const file = path.join(k.home, 'tmp', 'planted.txt');
    await fs.writeFile(file, Buffer.from(`note: ${planted}`, 'utf16le'));
    const inFile = await scanForPlaintext(await scanRoots(k), [planted]);
    expect(inFile.findings).toEqual([{ file, needle: planted, encoding: 'utf16le' }]);
    await fs.rm(file);

    // A column that is not encrypted: the scan must see it in the table file and the WAL.
    const inDatabase = `plaindb-${tag}`;
    await sql`CREATE TABLE canary_plaintext_control (value text)`.execute(k.ownerDb);
    await sql`INSERT INTO canary_plaintext_control VALUES (${inDatabase})`.execute(k.ownerDb);
    await flushPostgres(k);
    const found = await scanForPlaintext([k.postgres.dataDirectory], [inDatabase]);
    const where = found.findings.map((finding) => path.relative(k.postgres.dataDirectory, finding.file).split(path.sep)[0]);
    expect(where).toContain('base');
    expect(where).toContain('pg_wal');
  });
});
