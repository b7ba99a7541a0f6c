export { createApp, type ApiApp } from './app.js';
export type { ApiBindings, ApiEnv, ApiVariables, AuthContext, TokenAuthContext } from './app-env.js';
export type { ApiDependencies, ClientAddressPolicy, Readiness, StatusSource } from './dependencies.js';
export { statusReportSchema, type StatusReport } from './schemas/status-report.js';
export { errorBodySchema, type ErrorBody } from './openapi/error-schema.js';
export { CONTENT_SECURITY_POLICY } from './http/security-headers.js';
export { csrfHeader } from './http/csrf.js';
export { sessionCookieName } from './http/session-cookie.js';
export type { ImportsApi, ImportRunDetails, ImportRunRecord, InspectedUploadFile, StartImportInput, UploadState } from './imports/import-dependencies.js';
