import { Readable } from 'node:stream';
import { isAppError } from '@kindling/errors';
import { readEnvelopeHeader } from '@kindling/crypto';
import { isUnmovable, type KeyRewrapServices, type RewrapCounts } from './rewrap-scope.js';

/** Longest envelope header (algorithm 1); a stream header is one byte shorter. */
const headerBytes = 98;

interface ObjectPass {
  readonly services: Pick<KeyRewrapServices, 'fields' | 'objectBackend'>;
  readonly scopeId: string;
  readonly version: number;
  readonly signal: AbortSignal;
}

/**
 * Moves every object under `org/<scopeId>/` to `version`: reads the header, and if it is older,
 * writes the object back with a re-wrapped header followed by the untouched ciphertext, streamed
 * (the payload is never decrypted, so nothing but ciphertext is ever written). The backend's put
 * is atomic, so a crash leaves the old or the new object, both readable. Objects are write-once
 * (their keys are ids), which is what makes writing back without a lock safe.
 */
export async function rewrapObjects(pass: ObjectPass, counts: RewrapCounts): Promise<void> {
  const backend = pass.services.objectBackend;
  for (const object of await backend.list(`org/${pass.scopeId}/`)) {
    pass.signal.throwIfAborted();
    const chunks = backend.get(object.key)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    let prefix = Buffer.alloc(0);
    try {
      while (prefix.length < headerBytes) {
        const next = await chunks.next();
        if (next.done === true) break;
        prefix = Buffer.concat([prefix, next.value]);
      }
      const info = readEnvelopeHeader(prefix);
      if (info.kekVersion >= pass.version) {
        await chunks.return?.();
        continue;
      }
      // An envelope naming another scope is never re-wrapped under that scope's key from here.
      if (info.orgId !== pass.scopeId) {
        await chunks.return?.();
        counts.skipped += 1;
        continue;
      }
      const header = await pass.services.fields.rewrapObject(prefix.subarray(0, info.headerLength));
      const rest = prefix.subarray(info.headerLength);
      await backend.put(object.key, Readable.from(concatenated(header, rest, chunks)));
      counts.objectsRewrapped += 1;
    } catch (error) {
      await chunks.return?.();
      // Deleted since the listing, or not an envelope: nothing to move. Anything else (an
      // outage of the root key or the store) fails the job, which is retried.
      if (!isUnmovable(error) && !isObjectGone(error)) throw error;
      counts.skipped += 1;
    }
  }
}

async function* concatenated(header: Buffer, rest: Buffer, chunks: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield header;
  if (rest.length > 0) yield rest;
  for (;;) {
    const next = await chunks.next();
    if (next.done === true) return;
    yield next.value;
  }
}

function isObjectGone(error: unknown): boolean {
  return isAppError(error) && error.code === 'NOT_FOUND' && error.details?.['reason'] === 'object_not_found';
}
