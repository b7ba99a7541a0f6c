import type { OrganisationActor } from '@kindling/identity';
import type { AuthContext, TokenAuthContext } from '../app-env.js';
import { AppError } from '@kindling/errors';

/** Who acts on an organisation route: the API token of the request, or the signed-in person. */
export function actorOf(c: { get(key: 'auth'): AuthContext | undefined; get(key: 'token'): TokenAuthContext | undefined }): OrganisationActor {
  const machine = c.get('token');
  if (machine) return { kind: 'token', tokenId: machine.tokenId, orgId: machine.orgId, role: machine.role };
  const person = c.get('auth');
  if (!person) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
  return { kind: 'user', userId: person.userId };
}
