import { randomFillSync } from 'node:crypto';

/**
 * A source of UUIDv7 ids (RFC 9562: 48 bits of Unix milliseconds, a 12-bit counter for ids made in
 * the same millisecond, 62 random bits). An import gives its new rows these instead of random
 * UUIDs because ids made one after another sort one after another: a million inserted rows append
 * to the primary-key index (and, for gifts and communications, whose files list a contact's rows
 * together, to the contact-ordered indexes) instead of each touching a random page of an index
 * far larger than PostgreSQL's buffers. The id reveals when the row was made, as created_at does.
 */
export function createTimeOrderedIds(now: () => number = Date.now): () => string {
  let lastMs = 0;
  let counter = 0;
  const random = Buffer.alloc(9 * 1024);
  let offset = random.length;
  return () => {
    let ms = now();
    if (ms <= lastMs) {
      counter += 1;
      // 4,096 ids in one millisecond: borrow the next millisecond rather than break the order.
      if (counter > 0xfff) {
        lastMs += 1;
        counter = 0;
      }
      ms = lastMs;
    } else {
      lastMs = ms;
      counter = 0;
    }
    if (offset + 9 > random.length) {
      randomFillSync(random);
      offset = 0;
    }
    const variant = (0x8 | ((random[offset] ?? 0) >> 6)).toString(16);
    const rest = random.toString('hex', offset + 1, offset + 9);
    offset += 9;
    const time = ms.toString(16).padStart(12, '0');
    return `${time.slice(0, 8)}-${time.slice(8)}-7${counter.toString(16).padStart(3, '0')}-${variant}${rest.slice(0, 3)}-${rest.slice(3, 15)}`;
  };
}
