import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '@kindling/errors';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { commonErrorResponses, errorResponse } from '../openapi/error-schema.js';

const defaultReadinessTimeoutMs = 5_000;

const okSchema = z.object({ status: z.literal('ok') }).openapi('HealthOk');

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'Liveness: the process is up. Calls no dependency.',
  responses: {
    200: { description: 'The process is up.', content: { 'application/json': { schema: okSchema } } },
    ...commonErrorResponses,
  },
});

const readinessRoute = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['operations'],
  summary: 'Readiness: the API can reach PostgreSQL and serve traffic.',
  responses: {
    200: { description: 'Ready to serve traffic.', content: { 'application/json': { schema: okSchema } } },
    503: errorResponse('Not ready: a dependency is unreachable (UNAVAILABLE).'),
    ...commonErrorResponses,
  },
});

async function checkWithin(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`readiness check timed out after ${String(timeoutMs)} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function registerHealthRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const timeoutMs = deps.readinessTimeoutMs ?? defaultReadinessTimeoutMs;

  app.openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200));

  app.openapi(readinessRoute, async (c) => {
    try {
      await checkWithin(() => deps.readiness.check(), timeoutMs);
    } catch (error) {
      throw new AppError('UNAVAILABLE', 'The service is not ready: a dependency is unreachable.', { cause: error });
    }
    return c.json({ status: 'ok' as const }, 200);
  });
}
