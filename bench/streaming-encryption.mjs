#!/usr/bin/env node
// Streaming encryption benchmark: @kindling/crypto's STREAM envelope (64 KiB authenticated
// segments, per-segment tags verified before any output) against the peer measured in the same
// run — Node's raw createCipheriv/createDecipheriv('aes-256-gcm') over the same bytes, one GCM
// message with a single tag at the end (which, decrypting, emits plaintext before verifying it).
// The input is generated on the fly (a 1 MiB random block, repeated), never stored, and each
// phase samples RSS every 20 ms to show that memory stays flat however long the stream is.
// Usage: npx tsc -b packages/crypto && node bench/streaming-encryption.mjs [MiB=1024] [runs=3]
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDataProtection, createInMemoryKeyStore } from '../packages/crypto/dist/index.js';

const mebibytes = Number(process.argv[2] ?? 1024);
const runs = Number(process.argv[3] ?? 3);
const blockSize = 1024 * 1024;
const totalBytes = mebibytes * blockSize;
const block = randomBytes(blockSize);

const protection = createDataProtection({ keyStore: createInMemoryKeyStore() });
const context = { orgId: randomUUID(), purpose: 'object', objectKey: 'bench/stream.bin' };

function source(bytes) {
  let sent = 0;
  return new Readable({
    highWaterMark: blockSize,
    read() {
      if (sent >= bytes) {
        this.push(null);
        return;
      }
      sent += blockSize;
      this.push(block);
    },
  });
}

/** Counts bytes; with `verify`, also checks each byte equals the generated input. */
function sink(verify) {
  let position = 0;
  const writable = new Writable({
    highWaterMark: blockSize,
    write(chunk, _encoding, callback) {
      if (verify) {
        let offset = 0;
        while (offset < chunk.length) {
          const at = position % blockSize;
          const n = Math.min(chunk.length - offset, blockSize - at);
          if (block.compare(chunk, offset, offset + n, at, at + n) !== 0) {
            callback(new Error(`output differs from input at byte ${position}`));
            return;
          }
          offset += n;
          position += n;
        }
      } else {
        position += chunk.length;
      }
      callback();
    },
  });
  return { writable, bytes: () => position };
}

/** Node's raw AES-256-GCM, one message: the tag is known only when the encryptor has finished. */
function rawPair() {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  const decrypt = new Transform({
    transform(chunk, _encoding, callback) {
      callback(null, decipher.update(chunk));
    },
    flush(callback) {
      decipher.setAuthTag(cipher.getAuthTag());
      callback(null, decipher.final());
    },
  });
  return { cipher, decrypt };
}

const phases = {
  'kindling encrypt': () => [protection.createEncryptStream(context)],
  'kindling encrypt+decrypt': () => [protection.createEncryptStream(context), protection.createDecryptStream(context)],
  'node raw encrypt': () => [rawPair().cipher],
  'node raw encrypt+decrypt': () => {
    const { cipher, decrypt } = rawPair();
    return [cipher, decrypt];
  },
};

async function measure(name, bytes) {
  globalThis.gc?.();
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const verify = name.endsWith('+decrypt');
  const out = sink(verify);
  const started = performance.now();
  await pipeline(source(bytes), ...phases[name](), out.writable);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  if (verify && out.bytes() !== bytes) throw new Error(`${name}: ${out.bytes()} bytes out, ${bytes} in`);
  return { seconds, rssBefore, peak };
}

// Warm-up: JIT, OpenSSL, key creation.
for (const name of Object.keys(phases)) await measure(name, 64 * blockSize);

const results = new Map(Object.keys(phases).map((name) => [name, []]));
for (let run = 0; run < runs; run += 1) {
  for (const name of Object.keys(phases)) results.get(name).push(await measure(name, totalBytes));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mbps = (seconds) => totalBytes / 1e6 / seconds;
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(0);
function summary(prefix) {
  const enc = results.get(`${prefix} encrypt`);
  const both = results.get(`${prefix} encrypt+decrypt`);
  const encSeconds = median(enc.map((r) => r.seconds));
  const bothSeconds = median(both.map((r) => r.seconds));
  return {
    encrypt: mbps(encSeconds),
    // The round trip runs both in one pipeline; decrypt's own rate is what the round trip adds.
    decrypt: mbps(Math.max(bothSeconds - encSeconds, 1e-9)),
    roundTrip: mbps(bothSeconds),
    rssEncrypt: `${mib(Math.min(...enc.map((r) => r.rssBefore)))}→${mib(Math.max(...enc.map((r) => r.peak)))}`,
    rssRoundTrip: `${mib(Math.min(...both.map((r) => r.rssBefore)))}→${mib(Math.max(...both.map((r) => r.peak)))}`,
  };
}
const ours = summary('kindling');
const peer = summary('node raw');

const cols = ['', 'encrypt MB/s', 'decrypt MB/s', 'enc+dec MB/s', 'RSS MiB enc (start→peak)', 'RSS MiB enc+dec (start→peak)'];
const widths = [36, 13, 13, 13, 25, 29];
const line = (cells) => `| ${cells.map((c, i) => String(c).padStart(i === 0 ? 0 : widths[i]).padEnd(widths[i])).join(' | ')} |`;
const row = (name, r) => line([name, r.encrypt.toFixed(0), r.decrypt.toFixed(0), r.roundTrip.toFixed(0), r.rssEncrypt, r.rssRoundTrip]);
console.log(`streaming encryption benchmark: ${mebibytes} MiB per phase, median of ${runs} runs, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}`);
console.log(line(cols));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
console.log(row('kindling STREAM (64 KiB segments)', ours));
console.log(row('peer: node raw aes-256-gcm, one tag', peer));
console.log(
  line([
    'ratio kindling / node',
    (ours.encrypt / peer.encrypt).toFixed(2),
    (ours.decrypt / peer.decrypt).toFixed(2),
    (ours.roundTrip / peer.roundTrip).toFixed(2),
    '',
    '',
  ]),
);
