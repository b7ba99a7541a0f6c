import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { commonErrorResponses } from '../openapi/error-schema.js';
import { openApiObjectConfig } from '../openapi/document-config.js';

const openApiRoute = createRoute({
  method: 'get',
  path: '/api/v1/openapi.json',
  tags: ['meta'],
  summary: 'This API described as an OpenAPI 3.1 document, generated from the route definitions.',
  responses: {
    200: {
      description: 'The OpenAPI 3.1 document.',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
    },
    ...commonErrorResponses,
  },
});

export function registerOpenApiRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  app.openapi(openApiRoute, (c) => {
    const document: Record<string, unknown> = { ...app.getOpenAPI31Document(openApiObjectConfig(deps.version)) };
    return c.json(document, 200);
  });
}
