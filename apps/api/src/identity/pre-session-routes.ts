/** Paths of the routes used before a session exists. */
export const signInPath = '/api/v1/auth/sign-in';
export const inspectInvitationPath = '/api/v1/invitations/inspect';
export const acceptInvitationPath = '/api/v1/invitations/accept';

/**
 * `METHOD /path` of the routes exempt from the CSRF token (there is no session to derive it
 * from yet). They are still refused when the browser marks them cross-site.
 */
export const preSessionRoutes: ReadonlySet<string> = new Set([
  `POST ${signInPath}`,
  `POST ${inspectInvitationPath}`,
  `POST ${acceptInvitationPath}`,
]);
