import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { testDependencies } from '../test-support/test-dependencies.js';

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> };
}

const httpMethods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** `{id}` in OpenAPI paths is `:id` in Hono's. */
function toHonoPath(openApiPath: string): string {
  return openApiPath.replaceAll(/\{([^}]+)\}/g, ':$1');
}

describe('the OpenAPI document', () => {
  const { deps } = testDependencies();
  const app = createApp(deps);

  async function fetchDocument(): Promise<OpenApiDocument> {
    const response = await app.request('/api/v1/openapi.json');
    expect(response.status).toBe(200);
    return (await response.json()) as OpenApiDocument;
  }

  it('is OpenAPI 3.1 with the application version', async () => {
    const document = await fetchDocument();
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'Kindling API', version: '0.1.0-test' });
  });

  it('documents every route the app registers, and nothing it does not', async () => {
    const document = await fetchDocument();
    const registered = new Set(
      app.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path}`),
    );
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((key) => httpMethods.has(key))
          .map((method) => `${method.toUpperCase()} ${toHonoPath(path)}`),
      ),
    );
    expect(registered.size).toBeGreaterThan(0);
    expect([...registered].sort()).toEqual([...documented].sort());
    expect(registered).toEqual(
      new Set([
        'GET /healthz',
        'GET /readyz',
        'GET /api/v1/status',
        'GET /api/v1/openapi.json',
        'POST /api/v1/auth/sign-in',
        'GET /api/v1/auth/session',
        'POST /api/v1/auth/sign-out',
        'POST /api/v1/auth/organisation',
        'POST /api/v1/auth/totp/enrolment',
        'POST /api/v1/auth/totp/enrolment/confirm',
        'POST /api/v1/auth/mfa/verify',
        'POST /api/v1/auth/mfa/recover',
        'GET /api/v1/auth/mfa/factors',
        'POST /api/v1/auth/passkey/options',
        'POST /api/v1/auth/passkey/verify',
        'POST /api/v1/invitations/inspect',
        'POST /api/v1/invitations/accept',
        'POST /api/v1/organisations/:orgId/invitations',
        'GET /api/v1/account/sessions',
        'DELETE /api/v1/account/sessions/:sessionId',
        'GET /api/v1/account/passkeys',
        'POST /api/v1/account/passkeys/options',
        'POST /api/v1/account/passkeys',
        'PATCH /api/v1/account/passkeys/:passkeyId',
        'DELETE /api/v1/account/passkeys/:passkeyId',
        'POST /api/v1/account/password',
        'GET /api/v1/organisations/:orgId/members',
        'PATCH /api/v1/organisations/:orgId/members/:userId',
        'DELETE /api/v1/organisations/:orgId/members/:userId',
        'POST /api/v1/organisations/:orgId/members/:userId/mfa-reset',
        'GET /api/v1/organisations/:orgId/invitations',
        'DELETE /api/v1/organisations/:orgId/invitations/:invitationId',
        'POST /api/v1/organisations/:orgId/api-tokens',
        'GET /api/v1/organisations/:orgId/api-tokens',
        'DELETE /api/v1/organisations/:orgId/api-tokens/:tokenId',
        'GET /api/v1/organisations/:orgId/audit-events',
        'POST /api/v1/organisations/:orgId/uploads',
        'PUT /api/v1/organisations/:orgId/uploads/:uploadId/content',
        'GET /api/v1/organisations/:orgId/uploads/:uploadId',
        'DELETE /api/v1/organisations/:orgId/uploads/:uploadId',
        'POST /api/v1/organisations/:orgId/imports/inspect',
        'POST /api/v1/organisations/:orgId/imports',
        'GET /api/v1/organisations/:orgId/imports',
        'GET /api/v1/organisations/:orgId/imports/:runId',
        'GET /api/v1/organisations/:orgId/imports/:runId/rejections.csv',
        'POST /api/v1/organisations/:orgId/imports/:runId/replay',
        'GET /api/v1/organisations/:orgId/import-mappings',
        'DELETE /api/v1/organisations/:orgId/import-mappings/:mappingId',
        'GET /api/v1/organisations/:orgId/campaign-tags',
        'POST /api/v1/organisations/:orgId/campaign-tags/decisions',
      ]),
    );
  });

  it('describes the status report and the error body as reusable schemas', async () => {
    const document = await fetchDocument();
    const schemas = document.components?.schemas ?? {};
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['StatusReport', 'ErrorBody']));
    expect(JSON.stringify(document.paths['/api/v1/status'])).toContain('#/components/schemas/StatusReport');
    expect(JSON.stringify(document.paths['/readyz'])).toContain('#/components/schemas/ErrorBody');
  });

  it('declares the session cookie, the CSRF header and API tokens as security schemes', async () => {
    const document = (await fetchDocument()) as OpenApiDocument & { components: { securitySchemes?: Record<string, unknown> } };
    expect(Object.keys(document.components.securitySchemes ?? {}).sort()).toEqual(['apiToken', 'csrfToken', 'sessionCookie']);
    expect(document.components.securitySchemes).toMatchObject({
      apiToken: { type: 'http', scheme: 'bearer' },
      sessionCookie: { type: 'apiKey', in: 'cookie', name: '__Host-kindling_session' },
      csrfToken: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
    });
  });

  it('serves the same document the app generates', async () => {
    const document = await fetchDocument();
    expect(document).toEqual(
      JSON.parse(JSON.stringify(app.getOpenAPI31Document({ openapi: '3.1.0', info: document.info }))),
    );
  });
});
