import type { IdentityServices } from '@kindling/identity';
import type { CampaignTags } from './campaigns/campaign-tags.js';
import type { ImportsApi } from './imports/import-dependencies.js';
import type { Logger } from '@kindling/logger';
import type { StatusReport } from './schemas/status-report.js';

/** Answers whether the API can serve traffic. Rejects when PostgreSQL is unreachable. */
export interface Readiness {
  check(): Promise<void>;
}

/** Produces the operational report behind `GET /api/v1/status`. */
export interface StatusSource {
  report(): Promise<StatusReport>;
}

/** How to find the client's address behind reverse proxies (TRUSTED_PROXY_HOPS). */
export interface ClientAddressPolicy {
  /**
   * 0: the socket's peer address; X-Forwarded-For is ignored (the client writes it). N: the Nth
   * address from the right of X-Forwarded-For, the one the outermost trusted proxy appended.
   */
  readonly trustedProxyHops: number;
}

/**
 * Everything the API needs from the outside, declared here as small interfaces so the core
 * stays runtime-neutral and free of database code. The CLI wires real implementations.
 */
export interface ApiDependencies {
  readonly logger: Logger;
  /** Application version, shown in the OpenAPI document. */
  readonly version: string;
  /** Largest accepted request body, in bytes, with or without a Content-Length header. */
  readonly bodyLimitBytes: number;
  readonly readiness: Readiness;
  readonly status: StatusSource;
  /** How long `/readyz` waits for `readiness.check()` before answering 503; 5000 by default. */
  readonly readinessTimeoutMs?: number;
  /** Sign-in, sessions, second factors and invitations (`createIdentityServices` of @kindling/identity). */
  readonly identity: IdentityServices;
  readonly clientAddress: ClientAddressPolicy;
  /**
   * A per-installation secret (a generated file in the Kindling home, never a default) from
   * which CSRF tokens are derived. At least 32 characters.
   */
  readonly sessionSecret: string;
  /** PUBLIC_URL: its origin counts as same-origin when checking state-changing requests. */
  readonly publicUrl: string;
  /** Campaign tagging: the list with suggestions and coverage, and people's decisions (`createCampaignTagService` of @kindling/reference-store). */
  readonly campaignTags: CampaignTags;
  /** Uploads, inspection, imports as jobs, their history and reports, saved mappings (`createImportService` of @kindling/reference-store). */
  readonly imports: ImportsApi;
}
