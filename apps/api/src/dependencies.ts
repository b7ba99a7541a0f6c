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
}
