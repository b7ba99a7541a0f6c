import { z } from '@hono/zod-openapi';

const timestamp = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();

export const statusReportSchema = z
  .object({
    version: z.string().openapi({ example: '0.1.0' }),
    uptimeSeconds: z.number().nonnegative(),
    time: timestamp,
    database: z.object({
      reachable: z.boolean(),
      serverVersion: z.string().nullable(),
      latencyMs: z.number().nonnegative().nullable(),
      migrations: z.object({
        applied: count,
        latest: z.string().nullable(),
      }),
    }),
    jobs: z.object({
      dispatcher: z.object({
        running: z.boolean(),
        lastHeartbeatAt: timestamp.nullable(),
      }),
      queued: count,
      running: count,
      failedLast24h: count,
    }),
  })
  .openapi('StatusReport');

export type StatusReport = z.infer<typeof statusReportSchema>;
