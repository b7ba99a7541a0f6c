import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id: the package exports a const enum, which verbatimModuleSyntax cannot import.
const argon2id = 2;

/**
 * Argon2id with OWASP's minimum profile (19 MiB, 2 passes, 1 lane): about 60 ms here, which
 * bounds online guessing cost on our side while making offline cracking expensive.
 */
const parameters = { algorithm: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, parameters);
}

/** Constant-time verification against a PHC string; a malformed hash counts as a mismatch. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** True when a stored hash used weaker parameters than today's, so it is replaced at next sign-in. */
export function passwordHashNeedsUpgrade(passwordHash: string): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(passwordHash);
  if (match === null) return true;
  const [, m, t, p] = match.map(Number);
  return (m ?? 0) < parameters.memoryCost || (t ?? 0) < parameters.timeCost || (p ?? 0) !== parameters.parallelism;
}

/**
 * A hash of a random password, verified against when an account does not exist, so that
 * unknown and known accounts take the same time to answer (no account enumeration by timing).
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(crypto.randomUUID());
  return decoyHash;
}
