import { createRoute, z } from '@hono/zod-openapi';
import type { ApiApp } from '../app.js';
import { commonErrorResponses, validationErrorResponses } from '../openapi/error-schema.js';

/**
 * Routes that exist only in tests, mounted on the app `createApp` returns, to exercise body
 * validation, limits and error mapping through the same middleware production routes use.
 */
export const testDonationPath = '/api/v1/test/donations';

const donationRoute = createRoute({
  method: 'post',
  path: testDonationPath,
  request: {
    query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            donorName: z.string().min(1).max(5),
            amountCents: z.number().int().positive(),
            currency: z.enum(['USD', 'EUR', 'GBP']),
          }),
        },
      },
    },
  },
  responses: {
    201: {
      description: 'Accepted.',
      content: { 'application/json': { schema: z.object({ accepted: z.literal(true), amountCents: z.number() }) } },
    },
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

export interface DonationRouteProbe {
  calls: number;
}

export function mountDonationRoute(app: ApiApp): DonationRouteProbe {
  const probe: DonationRouteProbe = { calls: 0 };
  app.openapi(donationRoute, (c) => {
    probe.calls += 1;
    return c.json({ accepted: true as const, amountCents: c.req.valid('json').amountCents }, 201);
  });
  return probe;
}

/** A route whose handler throws `error`, as a database call deep in a service might. */
export function mountThrowingRoute(app: ApiApp, path: string, error: unknown): void {
  app.get(path, () => {
    throw error;
  });
}
