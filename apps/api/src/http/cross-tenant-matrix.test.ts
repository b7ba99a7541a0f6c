import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { withTenant } from '@kindling/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SoftwareAuthenticator, tokenOfLink } from '@kindling/identity/testing';
import { createImportMappingStore } from '@kindling/reference-store';
import { testPublicUrl } from '../test-support/test-dependencies.js';
import { fetchApiDocument, jsonBodySchema, type ApiDocument, type DocumentedRoute, type JsonSchema } from '../test-support/documented-routes.js';
import { nextTotpCode, signUpOwner, startIdentityTestApp, testPassword, type IdentityTestApp, type SignedUpOwner, type TestBrowser } from '../test-support/identity-test-app.js';

/**
 * The cross-tenant matrix: organisation A's owner aims every documented route at organisation
 * B's objects — B's ids in the path, the query and the body — with a session and with an API
 * token. Every such request must answer 404 (B's objects do not exist for A) and leave every
 * row that belongs to B exactly as it was.
 *
 * The cases are generated from the OpenAPI document, so a new route is in the matrix the day it
 * is added. An id parameter or field the matrix has no B object for fails the test by name:
 * add the object to `organisationB` below.
 */

/** Which of B's objects an id input names, by the input's name. */
const idKinds = {
  orgId: 'organisation',
  organisationId: 'organisation',
  userId: 'member',
  actorUserId: 'member',
  invitationId: 'invitation',
  tokenId: 'apiToken',
  sessionId: 'session',
  passkeyId: 'passkey',
  campaignId: 'campaign',
  uploadId: 'upload',
  uploadIds: 'upload',
  runId: 'importRun',
  mappingId: 'importMapping',
} as const satisfies Record<string, keyof OrganisationBIds>;

interface OrganisationBIds {
  readonly organisation: string;
  readonly member: string;
  readonly invitation: string;
  readonly apiToken: string;
  readonly session: string;
  readonly passkey: string;
  readonly campaign: string;
  readonly upload: string;
  readonly importRun: string;
  readonly importMapping: string;
}

interface MatrixCase {
  readonly label: string;
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  /**
   * A list filter (a query id on a GET) may instead answer 200 when the answer holds nothing of
   * B: filtering A's audit log by B's user finds nothing, which reveals nothing.
   */
  readonly filterOnly: boolean;
}

type IdSource = (name: string) => string;

function idFrom(ids: OrganisationBIds, overrides: Readonly<Record<string, string>> = {}): IdSource {
  return (name) => {
    const override = overrides[name];
    if (override !== undefined) return override;
    const kind = (idKinds as Readonly<Record<string, keyof OrganisationBIds>>)[name];
    if (kind === undefined) throw new Error(`the cross-tenant matrix has no object of organisation B for the id input "${name}": add one`);
    return ids[kind];
  };
}

function isUuid(schema: JsonSchema | undefined): boolean {
  return schema?.format === 'uuid';
}

/** The smallest value the schema accepts, with every uuid taken from `idOf` by field name. */
function exampleValue(document: ApiDocument, raw: JsonSchema, name: string, idOf: IdSource): unknown {
  const schema = document.resolve(raw);
  const options = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (options !== undefined) {
    const concrete = options.find((option) => document.resolve(option).type !== 'null') ?? options[0];
    if (concrete !== undefined) return exampleValue(document, concrete, name, idOf);
  }
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined) return schema.enum[0];
  const type: string | undefined = typeof schema.type === 'string' ? schema.type : schema.type?.find((option) => option !== 'null');
  switch (type) {
    case 'string':
      if (isUuid(schema)) return idOf(name);
      if (schema.format === 'email') return 'matrix.probe@example.org';
      if (schema.format === 'date-time') return new Date().toISOString();
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum === undefined ? 1 : schema.exclusiveMinimum + 1);
    case 'boolean':
      return false;
    case 'array':
      // A list of ids (uploadIds) gets one of B's.
      if (schema.items !== undefined && isUuid(document.resolve(schema.items))) return [idOf(name)];
      // A bulk request names its objects inside the array: one item, so its ids are probed too.
      return schema.items !== undefined && itemIdFields(document, schema.items).length > 0 ? [exampleValue(document, schema.items, name, idOf)] : [];
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      // Optional id fields are filled too: they are exactly what the matrix probes.
      const chosen = Object.entries(properties).filter(([key, property]) => required.has(key) || isUuid(document.resolve(property)));
      return Object.fromEntries(chosen.map(([key, property]) => [key, exampleValue(document, property, key, idOf)]));
    }
    default:
      throw new Error(`the cross-tenant matrix cannot build a value for "${name}" (schema type ${String(type)})`);
  }
}

/** The uuid fields of the objects in an array (any of its item shapes). */
function itemIdFields(document: ApiDocument, items: JsonSchema): string[] {
  const item = document.resolve(items);
  const shapes = item.anyOf ?? item.oneOf ?? [item];
  const fields = shapes.flatMap((shape) => Object.entries(document.resolve(shape).properties ?? {}).filter(([, property]) => isUuid(document.resolve(property))));
  return [...new Set(fields.map(([key]) => key))];
}

/** The id inputs of a route: path parameters, uuid query parameters and uuid body fields (also inside arrays). */
function idInputsOf(document: ApiDocument, route: DocumentedRoute): { path: string[]; query: string[]; body: string[] } {
  const parameters = route.operation.parameters ?? [];
  const body = jsonBodySchema(document, route.operation);
  return {
    path: parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name),
    query: parameters.filter((parameter) => parameter.in === 'query' && isUuid(parameter.schema)).map((parameter) => parameter.name),
    body: Object.entries(body?.properties ?? {}).flatMap(([key, property]) => {
      const resolved = document.resolve(property);
      if (isUuid(resolved) || (resolved.type === 'array' && resolved.items !== undefined && isUuid(document.resolve(resolved.items)))) return [key];
      return resolved.type === 'array' && resolved.items !== undefined ? itemIdFields(document, resolved.items) : [];
    }),
  };
}

function casesFor(document: ApiDocument, route: DocumentedRoute, ids: OrganisationBIds, ownOrgId: string): MatrixCase[] {
  const inputs = idInputsOf(document, route);
  if (inputs.path.length + inputs.query.length + inputs.body.length === 0) return [];
  const objectsBesideFilters = inputs.path.filter((name) => name !== 'orgId').length + inputs.body.length;
  const build = (label: string, idOf: IdSource, inOwnOrganisation: boolean): MatrixCase => {
    const url = route.path.replaceAll(/\{([^}]+)\}/g, (_, name: string) => idOf(name));
    const query = new URLSearchParams(inputs.query.map((name): [string, string] => [name, idOf(name)]));
    const bodySchema = jsonBodySchema(document, route.operation);
    return {
      label: `${route.method} ${route.path} (${label})`,
      method: route.method,
      url: query.size === 0 ? url : `${url}?${query.toString()}`,
      body: bodySchema === undefined ? undefined : exampleValue(document, bodySchema, 'body', idOf),
      filterOnly: inOwnOrganisation && route.method === 'GET' && objectsBesideFilters === 0,
    };
  };
  if (!inputs.path.includes('orgId')) return [build("B's objects", idFrom(ids), false)];
  const cases = [build("B's organisation", idFrom(ids), false)];
  if (objectsBesideFilters + inputs.query.length > 0) cases.push(build("A's organisation, B's objects", idFrom(ids, { orgId: ownOrgId }), true));
  return cases;
}

describe('cross-tenant matrix: a member of organisation A cannot reach or change anything of organisation B', () => {
  let testApp: IdentityTestApp;
  let document: ApiDocument;
  let ownerA: SignedUpOwner;
  let ownerB: SignedUpOwner;
  let idsB: OrganisationBIds;
  let usersB: string[];
  let apiTokenA: string;

  /** Every row anywhere that belongs to B or to one of B's people, as canonical JSON. */
  async function snapshotOfB(): Promise<string> {
    const db = testApp.harness.database.ownerDb;
    const columns = await db
      .selectFrom('information_schema.columns' as never)
      .select(['table_name as table', 'column_name as column'] as never[])
      .where('table_schema' as never, '=', 'public' as never)
      .execute() as unknown as { table: string; column: string }[];
    const tables = [...new Set(columns.map(({ table }) => table))].sort();
    const snapshot: Record<string, unknown[]> = {};
    for (const table of tables) {
      const has = (column: string): boolean => columns.some((entry) => entry.table === table && entry.column === column);
      const owned = has('org_id')
        ? sql`org_id = ${idsB.organisation}`
        : table === 'organisation'
          ? sql`id = ${idsB.organisation}`
          : table === 'app_user'
            ? sql`id = ANY(${usersB}::uuid[])`
            : has('user_id')
              ? sql`user_id = ANY(${usersB}::uuid[])`
              : undefined;
      if (owned === undefined) continue;
      const rows = await sql<{ row: unknown }>`SELECT to_jsonb(t) AS row FROM ${sql.table(table)} AS t WHERE ${owned} ORDER BY to_jsonb(t)::text`.execute(db);
      snapshot[table] = rows.rows.map(({ row }) => row);
    }
    return JSON.stringify(snapshot);
  }

  beforeAll(async () => {
    testApp = await startIdentityTestApp({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
    document = await fetchApiDocument(testApp.server.url);
    ownerA = await signUpOwner(testApp, 'matrix.owner.a@example.org');
    ownerB = await signUpOwner(testApp, 'matrix.owner.b@example.org');

    // B's objects: a second member, a pending invitation, an API token, the owner's passkey and session.
    const invitationsB = `/api/v1/organisations/${ownerB.organisationId}/invitations`;
    const joined = await ownerB.browser.post<{ link: string }>(invitationsB, { email: 'matrix.member.b@example.org', role: 'analyst' });
    const memberBrowser = testApp.browser();
    expect((await memberBrowser.post('/api/v1/invitations/accept', { token: tokenOfLink(joined.body.link), password: testPassword })).status).toBe(200);
    const enrolment = await memberBrowser.post<{ secret: string }>('/api/v1/auth/totp/enrolment');
    expect((await memberBrowser.post('/api/v1/auth/totp/enrolment/confirm', { code: await nextTotpCode(testApp, enrolment.body.secret) })).status).toBe(200);
    const pending = await ownerB.browser.post<{ id: string }>(invitationsB, { email: 'matrix.pending.b@example.org', role: 'viewer' });
    const token = await ownerB.browser.post<{ id: string }>(`/api/v1/organisations/${ownerB.organisationId}/api-tokens`, { name: 'B sync', role: 'analyst', expiresInDays: 30 });
    const members = await ownerB.browser.get<{ userId: string; email: string }[]>(`/api/v1/organisations/${ownerB.organisationId}/members`);
    const passkeyOptions = await ownerB.browser.post<{ challenge: string }>('/api/v1/account/passkeys/options');
    const passkey = await ownerB.browser.post<{ id: string }>('/api/v1/account/passkeys', {
      name: 'B laptop',
      credential: new SoftwareAuthenticator(testPublicUrl).register(passkeyOptions.body),
    });
    const sessions = await ownerB.browser.get<{ id: string; current: boolean }[]>('/api/v1/account/sessions');
    const campaign = await withTenant(testApp.harness.database.appDb, { orgId: ownerB.organisationId }, (trx) =>
      trx.insertInto('campaign').values({ org_id: ownerB.organisationId, external_id: 'B-XMAS', name: 'B Christmas appeal', row_hash: randomBytes(32) }).returning('id').executeTakeFirstOrThrow(),
    );
    // B's upload (finished), an import of it (queued) and a saved column mapping.
    const actorB = { userId: members.body.find((member) => member.email === 'matrix.owner.b@example.org')?.userId ?? '' };
    const { imports } = testApp.importServices;
    const uploadB = await imports.createUpload(ownerB.organisationId, actorB, { fileName: 'contacts.csv', size: 3 });
    await imports.appendChunk(ownerB.organisationId, actorB, { uploadId: uploadB.uploadId, offset: 0, bytes: new TextEncoder().encode('a,b') });
    const runB = await imports.startImport(ownerB.organisationId, actorB, { uploadIds: [uploadB.uploadId], preset: 'generic', mode: 'delta', currency: 'GBP' });
    const mappingB = await createImportMappingStore(testApp.harness.database.appDb).saveMapping(
      ownerB.organisationId,
      { name: 'B layout', entity: 'contacts', headers: ['Supporter No', 'Segment'], columns: [{ header: 'Supporter No', target: { field: 'external_id' } }, { header: 'Segment', target: null }] },
      { userId: actorB.userId, tokenId: null },
    );
    idsB = {
      organisation: ownerB.organisationId,
      member: members.body.find((member) => member.email === 'matrix.member.b@example.org')?.userId ?? '',
      invitation: pending.body.id,
      apiToken: token.body.id,
      session: sessions.body.find((session) => session.current)?.id ?? '',
      passkey: passkey.body.id,
      campaign: campaign.id,
      upload: uploadB.uploadId,
      importRun: runB.runId,
      importMapping: mappingB.id,
    };
    // Passkey ids are WebAuthn credential ids (base64url), every other id a uuid.
    for (const [kind, id] of Object.entries(idsB)) expect(id, kind).toMatch(kind === 'passkey' ? /^[A-Za-z0-9_-]{43}$/ : /^[0-9a-f-]{36}$/);
    usersB = members.body.map((member) => member.userId);

    const tokenA = await ownerA.browser.post<{ token: string }>(`/api/v1/organisations/${ownerA.organisationId}/api-tokens`, { name: 'A sync', role: 'admin', expiresInDays: 30 });
    apiTokenA = tokenA.body.token;
  });
  afterAll(async () => {
    await testApp.close();
  });

  function matrix(): { cases: MatrixCase[]; unaddressable: string[] } {
    const guarded = document.routes.filter((route) => (route.operation.security ?? []).length > 0);
    const cases = guarded.flatMap((route) => casesFor(document, route, idsB, ownerA.organisationId));
    const unaddressable = guarded.filter((route) => casesFor(document, route, idsB, ownerA.organisationId).length === 0).map((route) => `${route.method} ${route.path}`);
    return { cases, unaddressable };
  }

  it('covers every route that takes an object id', () => {
    const { cases, unaddressable } = matrix();
    const covered = new Set(cases.map((entry) => entry.label.split(' (')[0]));
    for (const route of ['DELETE /api/v1/organisations/{orgId}/members/{userId}', 'DELETE /api/v1/account/sessions/{sessionId}', 'POST /api/v1/auth/organisation']) {
      expect(covered, route).toContain(route);
    }
    // What is left takes no id at all: it can only ever act on the caller's own things.
    for (const route of unaddressable) expect(route).not.toMatch(/\{/);
  });

  /** Sends one case and holds B to it: 404 (or a filter that found nothing of B), B unchanged. */
  async function expectNothingOfB(client: TestBrowser, entry: MatrixCase): Promise<void> {
    const before = await snapshotOfB();
    const response = await client.request(entry.method, entry.url, entry.body === undefined ? {} : { json: entry.body });
    const body = JSON.stringify(response.body);
    if (entry.filterOnly && response.status === 200) {
      for (const [kind, id] of Object.entries(idsB)) expect(body, `${entry.label}: the answer holds B's ${kind}`).not.toContain(id);
    } else {
      expect(response.status, `${entry.label}: ${body}`).toBe(404);
    }
    expect(await snapshotOfB(), `${entry.label} changed a row of B`).toBe(before);
  }

  it('answers 404 and changes nothing in B, for A’s owner signed in with a session', async () => {
    const { cases } = matrix();
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const entry of cases) await expectNothingOfB(ownerA.browser, entry);
  });

  it('answers 404 and changes nothing in B, for A’s API token', async () => {
    const tokenRoutes = new Set(
      document.routes
        .filter((route) => route.operation.security?.some((requirement) => 'apiToken' in requirement))
        .map((route) => `${route.method} ${route.path}`),
    );
    const cases = matrix().cases.filter((entry) => tokenRoutes.has(entry.label.split(' (')[0] ?? ''));
    expect(cases.length).toBeGreaterThanOrEqual(5);
    // A client with only the bearer token: no cookie, no CSRF header.
    const machine = testApp.browser({ headers: { authorization: `Bearer ${apiTokenA}` } });
    for (const entry of cases) await expectNothingOfB(machine, entry);
  });
});
