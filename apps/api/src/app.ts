import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from './app-env.js';
import type { ApiDependencies } from './dependencies.js';
import { accessLog } from './http/access-log.js';
import { bodyLimit } from './http/body-limit.js';
import { requestMeta } from './http/client-address.js';
import { csrfProtection } from './http/csrf.js';
import { installErrorMapping, validationHook } from './http/error-mapping.js';
import { requestId } from './http/request-id.js';
import { noStore, securityHeaders } from './http/security-headers.js';
import { sessionAuth } from './http/session-auth.js';
import { registerAccountRoutes } from './identity/account-routes.js';
import { registerAuthRoutes } from './identity/auth-routes.js';
import { registerInvitationRoutes } from './identity/invitation-routes.js';
import { registerMfaRoutes } from './identity/mfa-routes.js';
import { registerPasskeyRoutes } from './identity/passkey-routes.js';
import { preSessionRoutes } from './identity/pre-session-routes.js';
import { registerCampaignTagRoutes } from './campaigns/campaign-tag-routes.js';
import { registerImportRoutes } from './imports/import-routes.js';
import { registerUploadRoutes, uploadContentPathPattern } from './imports/upload-routes.js';
import { registerApiTokenRoutes } from './organisations/api-token-routes.js';
import { registerAuditRoutes } from './organisations/audit-routes.js';
import { registerMemberRoutes } from './organisations/member-routes.js';
import { registerSecuritySchemes } from './openapi/route-security.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import { registerOpenApiRoutes } from './routes/openapi-routes.js';
import { registerStatusRoutes } from './routes/status-routes.js';

export type ApiApp = OpenAPIHono<ApiEnv>;

/**
 * The HTTP API as a runtime-neutral Hono app (Web-standard Request/Response only). The Node
 * server and the Lambda handler are thin adapters around the app this returns.
 */
export function createApp(deps: ApiDependencies): ApiApp {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });

  // Order matters: outer middleware sees the final response, including mapped errors and 404s.
  app.use('*', requestId(deps.logger));
  app.use('*', accessLog());
  app.use('*', securityHeaders());
  app.use('*', noStore());
  installErrorMapping(app, deps.logger);
  // Upload chunks are the one kind of large body: their route's limit is the chunk size.
  app.use('*', bodyLimit(deps.bodyLimitBytes, [{ path: uploadContentPathPattern, maxBytes: deps.imports.chunkBytes }]));
  app.use('*', requestMeta(deps.clientAddress));
  // Every API request: who is signed in (if anyone), then CSRF, which needs to know.
  app.use('/api/*', sessionAuth(deps.identity));
  app.use('/api/*', csrfProtection({ secret: deps.sessionSecret, publicUrl: deps.publicUrl, exempt: preSessionRoutes }));

  registerSecuritySchemes(app);
  registerHealthRoutes(app, deps);
  registerStatusRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerMfaRoutes(app, deps);
  registerPasskeyRoutes(app, deps);
  registerInvitationRoutes(app, deps);
  registerAccountRoutes(app, deps);
  registerMemberRoutes(app, deps);
  registerApiTokenRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerCampaignTagRoutes(app, deps);
  registerUploadRoutes(app, deps);
  registerImportRoutes(app, deps);
  registerOpenApiRoutes(app, deps);
  return app;
}
