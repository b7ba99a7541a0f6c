import { describe, expect, it } from 'vitest';
import { groupInFours, svgDataUrl } from './svg-data-url';

describe('svgDataUrl', () => {
  it('encodes the document as base64, including non-ASCII text', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><title>Café</title></svg>';
    const url = svgDataUrl(svg);
    expect(url.startsWith('data:image/svg+xml;base64,')).toBe(true);
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(url.split(',')[1] ?? ''), (c) => c.charCodeAt(0)));
    expect(decoded).toBe(svg);
  });
});

describe('groupInFours', () => {
  it('splits a secret into groups of four', () => {
    expect(groupInFours('JBSWY3DPEHPK3PXPAB')).toBe('JBSW Y3DP EHPK 3PXP AB');
    expect(groupInFours('JBSW Y3DP')).toBe('JBSW Y3DP');
    expect(groupInFours('')).toBe('');
  });
});
