import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '@kindling/config';
import type { IdentityServices } from '@kindling/identity';

export const demoOrganisationName = 'Demo Charity';
/** A reserved, undeliverable address (RFC 2606 `.test`): the demo owner signs in with it. */
export const demoOwnerEmail = 'owner@demo-charity.test';

/**
 * On the first start of an embedded home, create the demo organisation and its owner, and return
 * the lines that tell the person at the terminal how to enrol. A marker file records that it was
 * done, so later starts (and external databases, which are someone's real data) never add one.
 */
export async function bootstrapDemoOrganisation(config: Config, identity: Pick<IdentityServices, 'invitations'>): Promise<string | undefined> {
  if (config.database.mode !== 'embedded') return undefined;
  const marker = path.join(config.home, 'demo-organisation.json');
  try {
    await fs.access(marker);
    return undefined;
  } catch {
    // not bootstrapped yet
  }
  const created = await identity.invitations.bootstrapOrganisation({ name: demoOrganisationName, ownerEmail: demoOwnerEmail });
  await fs.writeFile(marker, JSON.stringify({ organisationId: created.organisationId, createdAt: new Date().toISOString() }), { mode: 0o600 });
  return [
    `A demo organisation "${demoOrganisationName}" was created. Its owner signs in as ${demoOwnerEmail}.`,
    `Enrolment link for the demo organisation owner (one-time, valid until ${created.expiresAt.toISOString()}):`,
    `  ${created.link}`,
    'Lost it? Create another organisation and owner with: npx kindling admin create --org NAME --email EMAIL',
    '',
  ].join('\n');
}
