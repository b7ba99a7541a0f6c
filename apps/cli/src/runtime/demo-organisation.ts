import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { Config } from '@kindling/config';
import { importPresetNamed } from '@kindling/crm-import';
import type { Database, Kysely } from '@kindling/db';
import { generateDemoData, groundTruthFileName, type DemoOutput } from '@kindling/demo-data';
import { runImport } from '@kindling/reference-store';
import type { PlatformServices } from './platform-services.js';

export const demoOrganisationName = 'Demo Charity';
/** A reserved, undeliverable address (RFC 2606 `.test`): the demo owner signs in with it. */
export const demoOwnerEmail = 'owner@demo-charity.test';

/**
 * On the first start of an embedded home, create the demo organisation and its owner, and return
 * the lines that tell the person at the terminal how to enrol. A marker file records that it was
 * done, so later starts (and external databases, which are someone's real data) never add one.
 */
export async function bootstrapDemoOrganisation(config: Config, db: Kysely<Database>, platform: Pick<PlatformServices, 'identity' | 'fields' | 'objectStore'>): Promise<string | undefined> {
  if (config.database.mode !== 'embedded') return undefined;
  const marker = path.join(config.home, 'demo-organisation.json');
  try {
    await fs.access(marker);
    return undefined;
  } catch {
    // not bootstrapped yet
  }
  const created = await platform.identity.invitations.bootstrapOrganisation({ name: demoOrganisationName, ownerEmail: demoOwnerEmail });
  await fs.writeFile(marker, JSON.stringify({ organisationId: created.organisationId, createdAt: new Date().toISOString() }), { mode: 0o600 });
  const data = config.demoContacts === 0 ? 'It has no data (DEMO_CONTACTS=0).' : await seedDemoData(config, db, platform, created.organisationId);
  return [
    `A demo organisation "${demoOrganisationName}" was created. Its owner signs in as ${demoOwnerEmail}.`,
    data,
    `Enrolment link for the demo organisation owner (one-time, valid until ${created.expiresAt.toISOString()}):`,
    `  ${created.link}`,
    'Lost it? Create another organisation and owner with: npx kindling admin create --org NAME --email EMAIL',
    '',
  ].join('\n');
}

/**
 * Fills the demo organisation with a synthetic charity (`kindling demo-data`, generic layout),
 * imported exactly as a real export would be. The files are generated in memory, never on disk:
 * they look like donor data, so they get the same care. The ground truth goes to the
 * organisation's encrypted object store, for measuring models against the best possible.
 */
async function seedDemoData(config: Config, db: Kysely<Database>, platform: Pick<PlatformServices, 'fields' | 'objectStore'>, orgId: string): Promise<string> {
  const files = new Map<string, Buffer[]>();
  const output: DemoOutput = {
    open(fileName) {
      const chunks: Buffer[] = [];
      files.set(fileName, chunks);
      return new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done();
        },
      });
    },
  };
  // The last two years' campaigns come without tags (2021–2025, as the CRM stopped recording campaign types): the Campaigns screen has work to show.
  const summary = await generateDemoData({ contacts: config.demoContacts, years: 5, seed: 'kindling-demo', format: 'generic', output, quirkRate: 0.01, untaggedFromYear: 2024 });
  const store = platform.objectStore(orgId);
  await store.put(`demo/${groundTruthFileName}`, Readable.from(files.get(groundTruthFileName) ?? []));
  const outcome = await runImport(
    { db, fields: platform.fields, objectStore: platform.objectStore },
    {
      orgId,
      preset: importPresetNamed('generic'),
      mode: 'complete',
      organisationCurrency: 'GBP',
      files: [...files].filter(([name]) => name !== groundTruthFileName).map(([name, chunks]) => ({ name, bytes: Readable.from(chunks) })),
      actor: { userId: null, tokenId: null },
      maxRejectedShare: config.imports.maxRejectedShare,
      limits: { maxEntries: 20, maxTotalBytes: config.imports.maxBytes, maxRatio: 200 },
    },
  );
  return `It holds a synthetic charity: ${summary.contacts.toLocaleString('en-GB')} contacts, ${summary.gifts.toLocaleString('en-GB')} gifts, ${summary.recurringPlans.toLocaleString('en-GB')} regular gifts, ${summary.communications.toLocaleString('en-GB')} communications (import ${outcome.runId}: ${outcome.status}).`;
}
