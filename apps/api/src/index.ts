export { createApp, type ApiApp } from './app.js';
export type { ApiEnv, ApiVariables } from './app-env.js';
export type { ApiDependencies, Readiness, StatusSource } from './dependencies.js';
export { statusReportSchema, type StatusReport } from './schemas/status-report.js';
export { errorBodySchema, type ErrorBody } from './openapi/error-schema.js';
export { CONTENT_SECURITY_POLICY } from './http/security-headers.js';
