import { hkdfSync } from 'node:crypto';
import type { Kek } from './key-store.js';

// A KEK is never used directly as an AES or HMAC key: each use gets its own HKDF-SHA256 subkey
// (RFC 5869) with a distinct `info`, so one key never serves two algorithms or two purposes, and
// a weakness in one use cannot be turned against another.
const dataKeyWrapInfo = 'kindling/kek/data-key-wrap/v1';
const blindIndexInfo = 'kindling/kek/blind-index/v1/';

function derive(key: Buffer, info: string): Buffer {
  // No salt: the input is already a uniformly random 256-bit key, for which HKDF's extract step
  // needs none (RFC 5869 §3.1).
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));
}

/** The AES-256-GCM key that wraps data keys under this KEK version. */
export function dataKeyWrappingKey(kek: Kek): Buffer {
  return derive(kek.key, dataKeyWrapInfo);
}

/** The HMAC-SHA256 key of one blind-index purpose; `lineageRoot` must be KEK version 1. */
export function blindIndexKey(lineageRoot: Kek, purpose: string): Buffer {
  return derive(lineageRoot.key, blindIndexInfo + purpose);
}
