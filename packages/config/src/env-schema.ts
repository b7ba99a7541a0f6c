import path from 'node:path';
import { z } from 'zod';
import { AppError } from '@kindling/errors';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const postgresUrl = z
  .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
  .optional();

const port = z.coerce.number().int().min(0).max(65535);

/**
 * 32 bytes in base64 or base64url. Checked by round trip, since Buffer.from(…, 'base64') skips
 * characters it does not understand and a typo could still decode to 32 bytes. The messages
 * never include the value: configuration errors are printed and logged.
 */
const rootKey = z
  .string()
  .refine((value) => {
    const key = Buffer.from(value.trim(), 'base64');
    const exact = key.toString('base64') === value.trim() || key.toString('base64url') === value.trim();
    return exact && key.length === 32 && key.some((byte) => byte !== 0);
  }, 'must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)')
  .optional();

const awsRegion = z
  .string()
  .regex(/^[a-z]{2}-[a-z-]{2,30}-\d{1,2}$/, 'must be an AWS region such as eu-west-2')
  .optional();
const kmsKeyId = z.string().min(1).max(2048).regex(/^[A-Za-z0-9:/_+=.@-]+$/, 'must be a KMS key id, key ARN, alias or alias ARN').optional();

/**
 * Every environment variable Kindling reads, validated once at start.
 * Secrets (database URLs carry passwords) have no defaults: absent means "not configured",
 * and the embedded database is used instead, with credentials generated on first run.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  KINDLING_HOME: z.string().min(1).default('.kindling'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8080),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  DATABASE_URL: postgresUrl,
  DATABASE_APP_URL: postgresUrl,
  EMBEDDED_PG_PORT: port.default(0),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(1024 ** 3).default(1024 * 1024),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  JOB_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  JOB_RUNNER: z.enum(['local-process']).default('local-process'),
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1024 * 1024).max(1024 ** 4).default(10 * 1024 ** 3),
  IMPORT_MAX_REJECTED_SHARE: z.coerce.number().min(0).max(1).default(0.05),
  DEMO_CONTACTS: z.coerce.number().int().min(0).max(100_000).default(1000),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  MAIL_FROM: z.email().optional(),
  /** Set by the dispatcher for each job process: the application-role connection, never the owner's. */
  JOB_DATABASE_URL: postgresUrl,
  ROOT_KEY: rootKey,
  KMS_KEY_ID: kmsKeyId,
  AWS_REGION: awsRegion,
  OBJECT_STORE_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3–63 characters: a-z, 0-9, "." and "-")')
    .optional(),
  // Printed at start: credentials belong in the AWS credential chain, never in this URL.
  OBJECT_STORE_S3_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .refine((value) => {
      const url = new URL(value);
      return url.username === '' && url.password === '';
    }, 'must not contain credentials (use the AWS credential chain)')
    .optional(),
  OBJECT_STORE_S3_KMS_KEY_ID: kmsKeyId,
});

type ParsedEnv = z.infer<typeof envSchema>;

export interface Config {
  readonly nodeEnv: ParsedEnv['NODE_ENV'];
  readonly home: string;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly bodyLimitBytes: number;
    /** Where people reach Kindling; links in invitations point here. */
    readonly publicUrl: string;
    /** False when publicUrl was derived from PORT (and must follow it if PORT=0 picks a port). */
    readonly publicUrlExplicit: boolean;
    /** How many reverse proxies in front of Kindling may be trusted to append to X-Forwarded-For. */
    readonly trustedProxyHops: number;
  };
  readonly sessions: { readonly idleMinutes: number; readonly absoluteHours: number };
  /** Undefined: no mail server, so invitation links are written to the log for an admin to pass on. */
  readonly mail: { readonly smtpUrl: string; readonly from: string } | undefined;
  readonly logLevel: ParsedEnv['LOG_LEVEL'];
  readonly database:
    | { readonly mode: 'embedded'; readonly port: number }
    | { readonly mode: 'external'; readonly url: string; readonly appUrl: string | undefined };
  /**
   * The root of the key hierarchy that wraps every organisation's key-encryption keys.
   * `local-file`: `<home>/secrets/root.key`, created on first start; `local-value`: the key given
   * in ROOT_KEY (secret: never log it); `aws-kms`: a KMS key that never leaves KMS.
   */
  readonly rootKey:
    | { readonly kind: 'local-file' }
    | { readonly kind: 'local-value'; readonly keyBase64: string }
    | { readonly kind: 'aws-kms'; readonly keyId: string; readonly region: string };
  /** Where uploads, model artifacts, exports and backups go (always encrypted by Kindling first). */
  readonly objectStore:
    | { readonly kind: 'local-folder'; readonly root: string }
    | {
        readonly kind: 's3';
        readonly bucket: string;
        readonly region: string;
        /** An S3-compatible server instead of AWS (path-style addressing is used then). */
        readonly endpoint: string | undefined;
        readonly kmsKeyId: string | undefined;
      };
  /** Synthetic contacts the demo organisation gets on a new embedded home (0: none). */
  readonly demoContacts: number;
  readonly imports: {
    /** Largest import file, and largest total a zip may expand to (zip bombs stop there). */
    readonly maxBytes: number;
    /** An import refusing a larger share of its rows changes nothing. */
    readonly maxRejectedShare: number;
  };
  readonly jobs: {
    readonly concurrency: number;
    readonly pollIntervalMs: number;
    readonly runner: ParsedEnv['JOB_RUNNER'];
    readonly databaseUrl: string | undefined;
  };
}

/** Parses the environment; a bad value throws CONFIG_INVALID naming each variable at fault. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  // Empty strings count as unset: `FOO= npm start` should behave like not setting FOO.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
    throw new AppError('CONFIG_INVALID', `Invalid configuration:\n  ${problems.join('\n  ')}`, {
      details: { variables: result.error.issues.map((issue) => issue.path.join('.')) },
    });
  }
  const e = result.data;
  if (e.SMTP_URL !== undefined && e.MAIL_FROM === undefined) {
    throw new AppError('CONFIG_INVALID', 'Invalid configuration:\n  MAIL_FROM: needs to be set when SMTP_URL is set (the sender address of invitations)', {
      details: { variables: ['MAIL_FROM'] },
    });
  }
  if (e.DATABASE_APP_URL !== undefined && e.DATABASE_URL === undefined) {
    throw new AppError('CONFIG_INVALID', 'Invalid configuration:\n  DATABASE_APP_URL: needs DATABASE_URL as well (the migration connection)', {
      details: { variables: ['DATABASE_APP_URL'] },
    });
  }
  const home = path.resolve(e.KINDLING_HOME);
  return {
    nodeEnv: e.NODE_ENV,
    home,
    http: {
      host: e.HOST,
      port: e.PORT,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      publicUrl: (e.PUBLIC_URL ?? `http://localhost:${String(e.PORT)}`).replace(/\/+$/, ''),
      publicUrlExplicit: e.PUBLIC_URL !== undefined,
      trustedProxyHops: e.TRUSTED_PROXY_HOPS,
    },
    sessions: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    mail: e.SMTP_URL === undefined || e.MAIL_FROM === undefined ? undefined : { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    logLevel: e.LOG_LEVEL,
    database:
      e.DATABASE_URL === undefined
        ? { mode: 'embedded', port: e.EMBEDDED_PG_PORT }
        : { mode: 'external', url: e.DATABASE_URL, appUrl: e.DATABASE_APP_URL },
    rootKey: rootKeyChoice(e),
    objectStore: objectStoreChoice(e, home),
    demoContacts: e.DEMO_CONTACTS,
    imports: { maxBytes: e.IMPORT_MAX_BYTES, maxRejectedShare: e.IMPORT_MAX_REJECTED_SHARE },
    jobs: { concurrency: e.JOB_CONCURRENCY, pollIntervalMs: e.JOB_POLL_INTERVAL_MS, runner: e.JOB_RUNNER, databaseUrl: e.JOB_DATABASE_URL },
  };
}

function invalid(variable: string, problem: string): AppError {
  return new AppError('CONFIG_INVALID', `Invalid configuration:\n  ${variable}: ${problem}`, { details: { variables: [variable] } });
}

function rootKeyChoice(e: ParsedEnv): Config['rootKey'] {
  // Two roots would mean two different key hierarchies depending on which one wins: refuse.
  if (e.ROOT_KEY !== undefined && e.KMS_KEY_ID !== undefined) throw invalid('ROOT_KEY', 'set either ROOT_KEY or KMS_KEY_ID, not both');
  if (e.KMS_KEY_ID !== undefined) {
    if (e.AWS_REGION === undefined) throw invalid('AWS_REGION', 'needs to be set when KMS_KEY_ID is set (the region of the KMS key)');
    return { kind: 'aws-kms', keyId: e.KMS_KEY_ID, region: e.AWS_REGION };
  }
  return e.ROOT_KEY === undefined ? { kind: 'local-file' } : { kind: 'local-value', keyBase64: e.ROOT_KEY.trim() };
}

function objectStoreChoice(e: ParsedEnv, home: string): Config['objectStore'] {
  if (e.OBJECT_STORE_S3_BUCKET === undefined) {
    for (const variable of ['OBJECT_STORE_S3_ENDPOINT', 'OBJECT_STORE_S3_KMS_KEY_ID'] as const) {
      if (e[variable] !== undefined) throw invalid(variable, 'needs OBJECT_STORE_S3_BUCKET as well');
    }
    return { kind: 'local-folder', root: path.join(home, 'objects') };
  }
  // S3-compatible servers accept any region for signing; AWS needs the bucket's own.
  const region = e.AWS_REGION ?? (e.OBJECT_STORE_S3_ENDPOINT === undefined ? undefined : 'us-east-1');
  if (region === undefined) throw invalid('AWS_REGION', 'needs to be set when OBJECT_STORE_S3_BUCKET is set (the region of the bucket)');
  return {
    kind: 's3',
    bucket: e.OBJECT_STORE_S3_BUCKET,
    region,
    endpoint: e.OBJECT_STORE_S3_ENDPOINT?.replace(/\/+$/, ''),
    kmsKeyId: e.OBJECT_STORE_S3_KMS_KEY_ID,
  };
}
