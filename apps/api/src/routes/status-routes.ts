import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { authErrorResponses, commonErrorResponses } from '../openapi/error-schema.js';
import { sessionRequired } from '../openapi/route-security.js';
import { statusReportSchema } from '../schemas/status-report.js';

const statusRoute = createRoute({
  method: 'get',
  path: '/api/v1/status',
  tags: ['operations'],
  summary: 'Operational status: version, uptime, database and job queue. Needs a signed-in session.',
  ...sessionRequired({ stateChanging: false }),
  responses: {
    200: { description: 'The current status.', content: { 'application/json': { schema: statusReportSchema } } },
    ...authErrorResponses,
    ...commonErrorResponses,
  },
});

export function registerStatusRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  app.openapi(statusRoute, async (c) => c.json(await deps.status.report(), 200));
}
