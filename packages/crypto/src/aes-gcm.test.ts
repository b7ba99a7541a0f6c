import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isCryptoFailure } from './crypto-failure.js';
import { nonceLength, open, seal } from './aes-gcm.js';

const hex = (value: string): Buffer => Buffer.from(value, 'hex');

/**
 * Known-answer vectors for AES-256-GCM with 96-bit IVs and 128-bit tags: test cases 13–16 of
 * McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", appendix B (the NIST GCM
 * submission), and one vector from NIST CAVP's gcmEncryptExtIV256 set.
 */
const vectors = [
  { name: 'McGrew-Viega 13: empty message', key: '00'.repeat(32), iv: '00'.repeat(12), aad: '', pt: '', ct: '', tag: '530f8afbc74536b9a963b4f1c4cb738b' },
  {
    name: 'McGrew-Viega 14: one zero block',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    aad: '',
    pt: '00'.repeat(16),
    ct: 'cea7403d4d606b6e074ec5d3baf39d18',
    tag: 'd0d1c8a799996bf0265b98b5d48ab919',
  },
  {
    name: 'McGrew-Viega 15: four blocks',
    key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
    iv: 'cafebabefacedbaddecaf888',
    aad: '',
    pt: 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255',
    ct: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad',
    tag: 'b094dac5d93471bdec1a502270e3cc6c',
  },
  {
    name: 'McGrew-Viega 16: partial block with AAD',
    key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
    iv: 'cafebabefacedbaddecaf888',
    aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    pt: 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    ct: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    tag: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
  {
    name: 'NIST CAVP gcmEncryptExtIV256 (128-bit message, 160-bit AAD)',
    key: '83688deb4af8007f9b713b47cfa6c73e35ea7a3aa4ecdb414dded03bf7a0fd3a',
    iv: '0b459724904e010a46901cf3',
    aad: '794a14ccd178c8ebfd1379dc704c5e208f9d8424',
    pt: '33d893a2114ce06fc15d55e454cf90c3',
    ct: 'cc66bee423e3fcd4c0865715e9586696',
    tag: '0fb291bd3dba94a1dfd8b286cfb97ac5',
  },
] as const;

describe('AES-256-GCM primitive', () => {
  it.each(vectors)('$name: encrypts to the known ciphertext and tag, and decrypts back', (v) => {
    const sealed = seal(hex(v.key), hex(v.iv), hex(v.pt), hex(v.aad));
    expect(sealed.ciphertext.toString('hex')).toBe(v.ct);
    expect(sealed.tag.toString('hex')).toBe(v.tag);
    expect(open(hex(v.key), hex(v.iv), hex(v.ct), hex(v.tag), hex(v.aad)).toString('hex')).toBe(v.pt);
  });

  it.each(vectors)('$name: a changed tag or AAD is rejected', (v) => {
    const tag = hex(v.tag);
    tag[0] = (tag[0] ?? 0) ^ 1;
    expect(() => open(hex(v.key), hex(v.iv), hex(v.ct), tag, hex(v.aad))).toThrow(/integrity check/);
    expect(() => open(hex(v.key), hex(v.iv), hex(v.ct), hex(v.tag), Buffer.concat([hex(v.aad), Buffer.from([0])]))).toThrow(/integrity check/);
  });

  it('refuses truncated tags, which Node would otherwise accept down to 4 bytes', () => {
    const v = vectors[3];
    for (const length of [4, 8, 12, 15]) {
      let error: unknown;
      try {
        open(hex(v.key), hex(v.iv), hex(v.ct), hex(v.tag).subarray(0, length), hex(v.aad));
      } catch (caught) {
        error = caught;
      }
      expect(isCryptoFailure(error, 'malformed'), `tag of ${String(length)} bytes`).toBe(true);
    }
  });

  it('refuses keys and nonces of the wrong length', () => {
    expect(() => seal(randomBytes(16), randomBytes(nonceLength), Buffer.alloc(1), Buffer.alloc(0))).toThrow(RangeError);
    expect(() => seal(randomBytes(32), randomBytes(16), Buffer.alloc(1), Buffer.alloc(0))).toThrow(RangeError);
  });
});
