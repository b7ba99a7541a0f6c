import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import {
  appendAuditEvent,
  createDatabase,
  globalTables,
  requireTenant,
  withTenant,
  withTokenLookup,
  withUserContext,
  type Database,
} from './index.js';
import {
  createTestDatabase,
  hmacBlindIndexForTests,
  seedMembership,
  seedOrganisation,
  seedUser,
  type TestDatabase,
} from './testing/index.js';

/**
 * Tenant isolation, checked two ways:
 * - the catalog: every table in `public` (read from pg_catalog) is either in the global
 *   allowlist (tenancy/global-tables.ts) or carries org_id with row-level security enabled,
 *   forced, and keyed on kindling.org_id, so a new table without policies fails here;
 * - behaviour, as the application role: no context sees nothing, one tenant's context sees only
 *   that tenant, and writes across the fence are refused.
 */

const blindIndex = hmacBlindIndexForTests(randomBytes(32));
const orgSetting = "current_setting('kindling.org_id'";
const anyKindlingSetting = "current_setting('kindling.";
const appRoles = new Set(['public', 'kindling_app_access', 'kindling_app']);

interface CatalogTable {
  name: string;
  rls: boolean;
  forced: boolean;
  has_org_id: boolean;
}

interface CatalogPolicy {
  table: string;
  name: string;
  roles: string[];
  qual: string | null;
  with_check: string | null;
}

async function readCatalog(db: Kysely<Database>): Promise<{ tables: CatalogTable[]; policies: CatalogPolicy[] }> {
  const { rows: tables } = await sql<CatalogTable>`
    SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
      EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped) AS has_org_id
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    ORDER BY c.relname`.execute(db);
  const { rows: policies } = await sql<CatalogPolicy>`
    SELECT tablename AS table, policyname AS name, roles::text[] AS roles, qual, with_check
    FROM pg_policies WHERE schemaname = 'public'`.execute(db);
  return { tables, policies };
}

/** Every way a table can break the rule, as readable lines (empty when all is well). */
async function findIsolationViolations(db: Kysely<Database>): Promise<string[]> {
  const { tables, policies } = await readCatalog(db);
  const allowlist = new Map<string, string>(Object.entries(globalTables));
  const violations: string[] = [];
  for (const table of tables) {
    if (allowlist.has(table.name)) continue;
    const keyed = policies.filter((p) => p.table === table.name && `${p.qual ?? ''} ${p.with_check ?? ''}`.includes(orgSetting));
    const missing = [
      table.has_org_id ? undefined : 'no org_id column',
      table.rls ? undefined : 'row-level security not enabled',
      table.forced ? undefined : 'row-level security not forced',
      keyed.length > 0 ? undefined : 'no policy on kindling.org_id',
    ].filter((m) => m !== undefined);
    if (missing.length > 0) {
      violations.push(`${table.name}: ${missing.join(', ')} (fence it, or add it with a reason to tenancy/global-tables.ts)`);
    }
  }
  return violations;
}

describe('the catalog', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
  });
  afterAll(async () => {
    await db.drop();
  });

  it('has every table either in the global allowlist or fenced by org_id with forced row-level security', async () => {
    expect(await findIsolationViolations(db.ownerDb)).toEqual([]);
  });

  it('fails on a new table without policies (planted, then rolled back)', async () => {
    const rollback = new Error('rollback');
    await expect(
      db.ownerDb.transaction().execute(async (trx) => {
        await sql`CREATE TABLE planted_donor (id uuid PRIMARY KEY, org_id uuid NOT NULL, name text)`.execute(trx);
        await sql`CREATE TABLE planted_half (id uuid PRIMARY KEY, org_id uuid NOT NULL)`.execute(trx);
        await sql`ALTER TABLE planted_half ENABLE ROW LEVEL SECURITY`.execute(trx);
        await sql`CREATE POLICY planted_half_open ON planted_half USING (true)`.execute(trx);
        expect(await findIsolationViolations(trx)).toEqual([
          'planted_donor: row-level security not enabled, row-level security not forced, no policy on kindling.org_id (fence it, or add it with a reason to tenancy/global-tables.ts)',
          'planted_half: row-level security not forced, no policy on kindling.org_id (fence it, or add it with a reason to tenancy/global-tables.ts)',
        ]);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });

  it('lists only tables that exist, each with a reason', async () => {
    const { tables } = await readCatalog(db.ownerDb);
    const names = new Set(tables.map((t) => t.name));
    for (const [table, reason] of Object.entries(globalTables)) {
      expect(names.has(table), `${table} is allowlisted but does not exist`).toBe(true);
      expect(reason.length).toBeGreaterThan(20);
    }
  });

  it('forces row-level security wherever it is enabled', async () => {
    const { tables } = await readCatalog(db.ownerDb);
    expect(tables.filter((t) => t.rls && !t.forced).map((t) => t.name)).toEqual([]);
  });

  it('keys every policy that applies to the application role on a kindling.* setting (no open policies)', async () => {
    const { policies } = await readCatalog(db.ownerDb);
    const open = policies.filter(
      (p) =>
        p.roles.some((r) => appRoles.has(r)) &&
        [p.qual, p.with_check].some((expression) => expression !== null && !expression.includes(anyKindlingSetting)),
    );
    expect(open.map((p) => `${p.table}.${p.name}`)).toEqual([]);
  });

  it('has no view or materialized view that would read tables with its owner’s rights', async () => {
    const { rows } = await sql<{ name: string; kind: string; options: string[] | null }>`
      SELECT c.relname AS name, c.relkind::text AS kind, c.reloptions AS options
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')`.execute(db.ownerDb);
    const unsafe = rows.filter((r) => r.kind === 'm' || !(r.options ?? []).includes('security_invoker=true'));
    expect(unsafe.map((r) => r.name)).toEqual([]);
  });

  it('enforces the membership roles the code knows, in the database', async () => {
    const { rows } = await sql<{ definition: string }>`
      SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE conrelid = 'membership'::regclass AND contype = 'c'`.execute(db.ownerDb);
    expect(rows.map((r) => r.definition).join(' ')).toMatch(/'owner'.*'admin'.*'analyst'.*'viewer'/);
  });
});

describe('tenant isolation as the application role', () => {
  let db: TestDatabase;
  let orgA: string;
  let orgB: string;
  let userA: string;
  let userB: string;
  let userBoth: string;

  /**
   * How to put one row of each tenant table into an organisation. A new tenant table needs an
   * entry here (the test below says so), so its isolation is exercised, not only declared.
   * Tables the app role may not INSERT into (audit_event) get `insert: false` and seed another way.
   */
  const fixtures: Record<string, { seed: (trx: Kysely<Database>, orgId: string) => Promise<unknown>; insert: boolean }> = {
    membership: {
      insert: true,
      seed: async (trx, orgId) => {
        const user = await seedUser(trx, `${randomUUID()}@example.org`, blindIndex);
        await trx.insertInto('membership').values({ org_id: orgId, user_id: user.id, role: 'viewer' }).execute();
      },
    },
    invitation: {
      insert: true,
      seed: (trx, orgId) =>
        trx
          .insertInto('invitation')
          .values({
            org_id: orgId,
            email_blind_index: blindIndex(`${randomUUID()}@example.org`),
            role: 'analyst',
            token_hash: randomBytes(32),
            expires_at: new Date(Date.now() + 86_400_000),
          })
          .execute(),
    },
    api_token: {
      insert: true,
      seed: (trx, orgId) =>
        trx.insertInto('api_token').values({ org_id: orgId, role: 'viewer', name: 'reporting', token_hash: randomBytes(32) }).execute(),
    },
    organisation_key: {
      insert: true,
      // Wrapped KEKs (migration 0003); the bytes are opaque to these checks.
      seed: (trx, orgId) =>
        sql`INSERT INTO organisation_key (org_id, version, wrapped_key, root_key_id) VALUES (${orgId}, 1, ${randomBytes(60)}, 'test-root')`.execute(trx),
    },
    contact: {
      insert: true,
      // Ciphertexts and indexes (migration 0006); the bytes are opaque to these checks.
      seed: (trx, orgId) =>
        trx
          .insertInto('contact')
          .values({ id: randomUUID(), org_id: orgId, external_id_ciphertext: randomBytes(80), external_id_blind_index: randomBytes(32), kind: 'individual' })
          .execute(),
    },
    import_run: {
      insert: true,
      seed: (trx, orgId) => trx.insertInto('import_run').values({ org_id: orgId, mode: 'complete', preset: 'generic', status: 'running' }).execute(),
    },
    import_rejection: {
      insert: true,
      seed: async (trx, orgId) => {
        const run = await trx.insertInto('import_run').values({ org_id: orgId, mode: 'delta', preset: 'npsp', status: 'refused' }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('import_rejection').values({ org_id: orgId, import_run_id: run.id, file: 'gifts.csv', line: 2, reason: 'is not a date' }).execute();
      },
    },
    import_upload: {
      insert: true,
      seed: (trx, orgId) => trx.insertInto('import_upload').values({ org_id: orgId, file_name: 'gifts.csv', size: 2048 }).execute(),
    },
    campaign: {
      insert: true,
      seed: (trx, orgId) => trx.insertInto('campaign').values({ org_id: orgId, external_id: randomUUID(), name: 'Spring appeal', row_hash: randomBytes(32) }).execute(),
    },
    recurring_plan: {
      insert: true,
      seed: async (trx, orgId) => {
        const contactId = await seedContact(trx, orgId);
        await trx.insertInto('recurring_plan').values({ org_id: orgId, external_id: randomUUID(), contact_id: contactId, start_date: '2024-01-01', amount: 10, currency: 'GBP', row_hash: randomBytes(32) }).execute();
      },
    },
    gift: {
      insert: true,
      seed: async (trx, orgId) => {
        const contactId = await seedContact(trx, orgId);
        await trx.insertInto('gift').values({ org_id: orgId, external_id: randomUUID(), contact_id: contactId, gift_date: '2024-01-01', amount: 25, currency: 'GBP', row_hash: randomBytes(32) }).execute();
      },
    },
    communication: {
      insert: true,
      seed: async (trx, orgId) => {
        const contactId = await seedContact(trx, orgId);
        await trx.insertInto('communication').values({ org_id: orgId, contact_id: contactId, campaign_external_id: 'XMAS', sent_on: '2024-12-01', row_hash: randomBytes(32) }).execute();
      },
    },
    campaign_tag: {
      insert: true,
      seed: async (trx, orgId) => {
        const campaign = await trx.insertInto('campaign').values({ org_id: orgId, external_id: randomUUID(), name: 'Summer raffle', row_hash: randomBytes(32) }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('campaign_tag').values({ org_id: orgId, campaign_id: campaign.id, decision: 'confirmed', category: 'Raffle/Lottery', channel: 'Direct Mail' }).execute();
      },
    },
    gift_soft_credit: {
      insert: true,
      seed: async (trx, orgId) => {
        const contactId = await seedContact(trx, orgId);
        const gift = await trx
          .insertInto('gift')
          .values({ org_id: orgId, external_id: randomUUID(), contact_id: contactId, gift_date: '2024-01-01', amount: 25, currency: 'GBP', row_hash: randomBytes(32) })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.insertInto('gift_soft_credit').values({ org_id: orgId, gift_id: gift.id, contact_id: await seedContact(trx, orgId) }).execute();
      },
    },
    recurring_plan_amount: {
      insert: true,
      seed: async (trx, orgId) => {
        const planId = await seedPlan(trx, orgId);
        await trx.insertInto('recurring_plan_amount').values({ org_id: orgId, plan_id: planId, observed_on: '2024-06-01', amount: 12 }).execute();
      },
    },
    recurring_plan_payment_failure: {
      insert: true,
      seed: async (trx, orgId) => {
        const planId = await seedPlan(trx, orgId);
        await trx.insertInto('recurring_plan_payment_failure').values({ org_id: orgId, plan_id: planId, failed_on: '2024-07-01', amount: 10, reason: 'Insufficient funds', row_hash: randomBytes(32) }).execute();
      },
    },
    contact_attribute: {
      insert: true,
      seed: (trx, orgId) => trx.insertInto('contact_attribute').values({ org_id: orgId, name: 'wealth_score', kind: 'numeric' }).execute(),
    },
    import_mapping: {
      insert: true,
      seed: (trx, orgId) =>
        trx
          .insertInto('import_mapping')
          .values({ org_id: orgId, name: 'Legacy CRM contacts', entity: 'contacts', header_signature: 'a'.repeat(64), columns: JSON.stringify([{ header: 'ID', target: { field: 'external_id' } }]) })
          .execute(),
    },
    audit_event: {
      insert: false,
      seed: (trx, orgId) => appendAuditEvent(trx, { orgId, action: 'settings.changed', details: { setting: 'test' } }),
    },
  };

  async function seedPlan(trx: Kysely<Database>, orgId: string): Promise<string> {
    const contactId = await seedContact(trx, orgId);
    const plan = await trx
      .insertInto('recurring_plan')
      .values({ org_id: orgId, external_id: randomUUID(), contact_id: contactId, start_date: '2024-01-01', amount: 10, currency: 'GBP', row_hash: randomBytes(32) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return plan.id;
  }

  async function seedContact(trx: Kysely<Database>, orgId: string): Promise<string> {
    const id = randomUUID();
    await trx.insertInto('contact').values({ id, org_id: orgId, external_id_ciphertext: randomBytes(80), external_id_blind_index: randomBytes(32), kind: 'individual' }).execute();
    return id;
  }

  async function tenantTables(): Promise<string[]> {
    const { tables } = await readCatalog(db.ownerDb);
    return tables.filter((t) => !(t.name in globalTables)).map((t) => t.name);
  }

  async function count(trx: Kysely<Database>, table: string, orgId?: string): Promise<number> {
    const where = orgId === undefined ? sql`true` : sql`org_id = ${orgId}`;
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${where}`.execute(trx);
    return rows[0]?.n ?? -1;
  }

  async function hasPrivilege(table: string, privilege: 'INSERT' | 'UPDATE' | 'DELETE'): Promise<boolean> {
    const { rows } = await sql<{ ok: boolean }>`SELECT has_table_privilege(current_user, ${table}, ${privilege}) AS ok`.execute(db.appDb);
    return rows[0]?.ok === true;
  }

  async function hasColumnPrivilege(table: string, column: string, privilege: 'UPDATE'): Promise<boolean> {
    const { rows } = await sql<{ ok: boolean }>`SELECT has_column_privilege(current_user, ${table}, ${column}, ${privilege}) AS ok`.execute(db.appDb);
    return rows[0]?.ok === true;
  }

  beforeAll(async () => {
    db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
    orgA = (await seedOrganisation(db.appDb, 'Org A')).id;
    orgB = (await seedOrganisation(db.appDb, 'Org B')).id;
    userA = (await seedUser(db.appDb, 'a@example.org', blindIndex)).id;
    userB = (await seedUser(db.appDb, 'b@example.org', blindIndex)).id;
    userBoth = (await seedUser(db.appDb, 'both@example.org', blindIndex)).id;
    await seedMembership(db.appDb, orgA, userA, 'admin');
    await seedMembership(db.appDb, orgB, userB, 'admin');
    await seedMembership(db.appDb, orgA, userBoth, 'viewer');
    await seedMembership(db.appDb, orgB, userBoth, 'analyst');
    for (const orgId of [orgA, orgB]) {
      await withTenant(db.appDb, { orgId }, async (trx) => {
        for (const fixture of Object.values(fixtures)) await fixture.seed(trx, orgId);
      });
    }
    await appendAuditEvent(db.appDb, { orgId: null, action: 'auth.sign_in.failed', details: { reason: 'unknown_account' } });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('has a fixture for every tenant table, and rows of both organisations in each', async () => {
    for (const table of await tenantTables()) {
      expect(fixtures[table], `add a fixture for tenant table ${table} to tenant-isolation.test.ts`).toBeDefined();
      for (const orgId of [orgA, orgB]) {
        expect(await withTenant(db.ownerDb, { orgId }, (trx) => count(trx, table, orgId))).toBeGreaterThan(0);
      }
    }
  });

  it('sees zero rows of every tenant table, and no organisation, without a tenant context', async () => {
    for (const table of await tenantTables()) expect(await count(db.appDb, table), table).toBe(0);
    expect(await db.appDb.selectFrom('organisation').select('id').execute()).toEqual([]);
  });

  it("sees only organisation A's rows in A's context", async () => {
    await withTenant(db.appDb, { orgId: orgA, userId: userA }, async (trx) => {
      for (const table of await tenantTables()) {
        expect(await count(trx, table, orgB), table).toBe(0);
        expect(await count(trx, table), table).toBe(await count(trx, table, orgA));
        expect(await count(trx, table), table).toBeGreaterThan(0);
      }
      expect((await trx.selectFrom('organisation').select('id').execute()).map((o) => o.id)).toEqual([orgA]);
    });
  });

  it("cannot update or delete organisation B's rows from A's context", async () => {
    const before = new Map<string, number>();
    for (const table of await tenantTables()) before.set(table, await withTenant(db.ownerDb, { orgId: orgB }, (trx) => count(trx, table, orgB)));

    await withTenant(db.appDb, { orgId: orgA }, async (trx) => {
      const renamed = await trx.updateTable('organisation').set({ name: 'taken over' }).where('id', '=', orgB).executeTakeFirst();
      expect(renamed.numUpdatedRows).toBe(0n);
    });
    for (const table of await tenantTables()) {
      const update = sql`UPDATE ${sql.table(table)} SET org_id = org_id WHERE org_id = ${orgB}`;
      const remove = sql`DELETE FROM ${sql.table(table)} WHERE org_id = ${orgB}`;
      for (const [privilege, statement] of [['UPDATE', update], ['DELETE', remove]] as const) {
        // The privilege is looked up first: a refused attempt created before an await would
        // reject with nobody listening yet.
        const granted = await hasPrivilege(table, privilege);
        const attempt = withTenant(db.appDb, { orgId: orgA }, async (trx) => (await statement.execute(trx)).numAffectedRows);
        if (granted) await expect(attempt, `${privilege} ${table}`).resolves.toBe(0n);
        else await expect(attempt, `${privilege} ${table}`).rejects.toThrow(/permission denied/);
      }
    }
    for (const table of await tenantTables()) {
      expect(await withTenant(db.ownerDb, { orgId: orgB }, (trx) => count(trx, table, orgB)), table).toBe(before.get(table));
    }
  });

  it("refuses rows for organisation B written from A's context (WITH CHECK), and moving A's rows to B", async () => {
    for (const table of await tenantTables()) {
      const fixture = fixtures[table];
      if (fixture === undefined) throw new Error(`no fixture for ${table}`);
      const attempt = withTenant(db.appDb, { orgId: orgA }, (trx) => fixture.seed(trx, orgB));
      if (fixture.insert) {
        await expect(attempt, table).rejects.toThrow(/row-level security policy/);
        // A table whose org_id the app role may not update at all (organisation_key) refuses by privilege.
        const refusal = (await hasColumnPrivilege(table, 'org_id', 'UPDATE')) ? /row-level security policy/ : /permission denied/;
        const move = withTenant(db.appDb, { orgId: orgA }, (trx) => sql`UPDATE ${sql.table(table)} SET org_id = ${orgB}`.execute(trx));
        await expect(move, table).rejects.toThrow(refusal);
      } else {
        await expect(attempt, table).rejects.toThrow(/inside that organisation's tenant context/);
      }
    }
    const newOrg = withTenant(db.appDb, { orgId: orgA }, (trx) =>
      trx.insertInto('organisation').values({ id: randomUUID(), name: 'Sneaky', slug: 'sneaky' }).execute(),
    );
    await expect(newOrg).rejects.toThrow(/row-level security policy/);
  });

  it('shows a signed-in user, before an organisation is chosen, only their organisations and memberships', async () => {
    await withUserContext(db.appDb, userBoth, async (trx) => {
      const orgs = await trx.selectFrom('organisation').select('id').orderBy('name').execute();
      expect(orgs.map((o) => o.id)).toEqual([orgA, orgB]);
      const memberships = await trx.selectFrom('membership').select(['org_id', 'user_id', 'role']).execute();
      expect(memberships).toHaveLength(2);
      expect(memberships.every((m) => m.user_id === userBoth)).toBe(true);
      for (const table of ['invitation', 'api_token', 'audit_event']) expect(await count(trx, table), table).toBe(0);
    });
    await withUserContext(db.appDb, userA, async (trx) => {
      expect((await trx.selectFrom('organisation').select('id').execute()).map((o) => o.id)).toEqual([orgA]);
      expect(await trx.selectFrom('membership').select('user_id').execute()).toEqual([{ user_id: userA }]);
    });
    await withUserContext(db.appDb, userB, async (trx) => {
      const write = trx.insertInto('membership').values({ org_id: orgB, user_id: userA, role: 'owner' }).execute();
      await expect(write).rejects.toThrow(/row-level security policy/);
    });
  });

  it('lets a presented token read exactly its own row, and nothing else, before its organisation is known', async () => {
    const tokenA = randomBytes(32);
    const invitationB = randomBytes(32);
    await withTenant(db.appDb, { orgId: orgA }, (trx) =>
      trx.insertInto('api_token').values({ org_id: orgA, role: 'analyst', name: 'crm sync', token_hash: tokenA }).execute(),
    );
    await withTenant(db.appDb, { orgId: orgB }, (trx) =>
      trx
        .insertInto('invitation')
        .values({ org_id: orgB, email_blind_index: blindIndex('new@example.org'), role: 'viewer', token_hash: invitationB, expires_at: new Date(Date.now() + 86_400_000) })
        .execute(),
    );

    await withTokenLookup(db.appDb, tokenA, async (trx) => {
      const found = await trx.selectFrom('api_token').select(['org_id', 'role', 'name']).execute();
      expect(found).toEqual([{ org_id: orgA, role: 'analyst', name: 'crm sync' }]);
      for (const table of await tenantTables()) if (table !== 'api_token') expect(await count(trx, table), table).toBe(0);
      const touched = await trx.updateTable('api_token').set({ last_used_at: new Date() }).where('token_hash', '=', tokenA).executeTakeFirst();
      expect(touched.numUpdatedRows).toBe(0n);
    });
    await withTokenLookup(db.appDb, invitationB, async (trx) => {
      expect(await trx.selectFrom('invitation').select(['org_id', 'role']).execute()).toEqual([{ org_id: orgB, role: 'viewer' }]);
      expect(await count(trx, 'api_token')).toBe(0);
    });
    await withTokenLookup(db.appDb, randomBytes(32), async (trx) => {
      for (const table of await tenantTables()) expect(await count(trx, table), table).toBe(0);
    });
    await expect(withTokenLookup(db.appDb, Buffer.alloc(0), () => Promise.resolve())).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('forgets the context when the transaction ends, even on the same pooled connection', async () => {
    const single = createDatabase({ url: db.appUrl, maxConnections: 1, applicationName: 'kindling-test-single' });
    try {
      const inside = await withTenant(single, { orgId: orgA }, (trx) => count(trx, 'membership'));
      expect(inside).toBeGreaterThan(0);
      expect(await count(single, 'membership')).toBe(0);
      const failed = withTenant(single, { orgId: orgA }, () => Promise.reject(new Error('boom')));
      await expect(failed).rejects.toThrow('boom');
      const { rows } = await sql<{ org: string | null }>`SELECT current_setting('kindling.org_id', true) AS org`.execute(single);
      expect(rows[0]?.org ?? '').toBe('');
    } finally {
      await single.destroy();
    }
  });

  it('gives a snapshot transaction one read-only view across queries (backups read several tables)', async () => {
    const seen = await withTenant(
      db.appDb,
      { orgId: orgA },
      async (trx) => {
        const before = await count(trx, 'api_token');
        // Committed by another connection between the two reads: the snapshot must not see it.
        await withTenant(db.appDb, { orgId: orgA }, (other) =>
          other.insertInto('api_token').values({ org_id: orgA, role: 'viewer', name: 'later', token_hash: randomBytes(32) }).execute(),
        );
        const after = await count(trx, 'api_token');
        const write = await sql`UPDATE api_token SET name = name`.execute(trx).then(
          () => 'written',
          (error: unknown) => String(error),
        );
        return { before, after, write };
      },
      { snapshot: true },
    );
    expect(seen.after).toBe(seen.before);
    expect(seen.write).toMatch(/read-only transaction/);
  });

  it('refuses tenant work without an organisation (requireTenant)', async () => {
    expect(() => requireTenant(null)).toThrow(/needs an organisation/);
    expect(() => requireTenant(undefined)).toThrow(/needs an organisation/);
    expect(() => requireTenant('')).toThrow(/needs an organisation/);
    expect(() => requireTenant("x' OR true --")).toThrow(/not a UUID/);
    expect(requireTenant(orgA.toUpperCase())).toBe(orgA);
    await expect(withTenant(db.appDb, { orgId: '' }, () => Promise.resolve(1))).rejects.toThrow(/needs an organisation/);
  });
});
