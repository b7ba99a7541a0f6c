import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import type { ApiBindings, ApiEnv } from '../app-env.js';
import type { ClientAddressPolicy } from '../dependencies.js';

/** `::ffff:192.0.2.1` (an IPv4 peer on a dual-stack socket) is the IPv4 address. */
function canonicalAddress(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  const address = mapped?.[1] ?? trimmed;
  return isIP(address) === 0 ? null : address;
}

/**
 * The client's address under the trusted-proxy policy. With 0 hops the socket address is the
 * client, and X-Forwarded-For is ignored: anyone can send it. With N hops, each trusted proxy
 * appended the address it saw, so the Nth entry from the right is the one the outermost trusted
 * proxy recorded; entries further left were written by the client and prove nothing. If there
 * are fewer than N entries the request did not come through all the proxies, and the socket
 * address is used. Null when the result is not an IP address.
 */
export function resolveClientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, policy: ClientAddressPolicy): string | null {
  if (policy.trustedProxyHops === 0 || forwardedFor === undefined) return canonicalAddress(socketAddress);
  const entries = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length < policy.trustedProxyHops) return canonicalAddress(socketAddress);
  return canonicalAddress(entries[entries.length - policy.trustedProxyHops]);
}

/** Sets `c.var.requestMeta`: the client address and User-Agent that sessions and the audit log record. */
export function requestMeta(policy: ClientAddressPolicy): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    // c.env is whatever the runtime adapter passed; nothing at all under app.request() in tests.
    const bindings = c.env as ApiBindings | undefined;
    const forwardedFor = c.req.header('X-Forwarded-For');
    c.set('requestMeta', {
      clientAddress: resolveClientAddress(bindings?.remoteAddress, forwardedFor, policy),
      userAgent: c.req.header('User-Agent') ?? null,
    });
    await next();
  };
}
