// Node's TextDecoder reads the "windows-1252" label as ISO-8859-1, so 0x80–0x9F come out as C1
// control characters instead of €, ‚, ƒ, „, …, curly quotes and dashes — the very characters
// Excel on Windows writes. This table is the WHATWG windows-1252 mapping for that range
// (0x81, 0x8D, 0x8F, 0x90 and 0x9D map to themselves).
const highRange = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

const table = Array.from({ length: 256 }, (_, byte) => (byte >= 0x80 && byte <= 0x9f ? (highRange[byte - 0x80] ?? '') : String.fromCharCode(byte)));

/** Decodes Windows-1252 bytes; every byte is a character, so there is no partial state between chunks. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  // Fast path: most bytes are ASCII or Latin-1 letters, which latin1 already gets right.
  return /[\u0080-\u009f]/u.test(latin1) ? latin1.replaceAll(/[\u0080-\u009f]/gu, (character) => table[character.charCodeAt(0)] ?? character) : latin1;
}
