/**
 * An SVG document as a `data:` URL for an `<img>`: the browser then treats it as a picture, so
 * nothing in it can run or touch the page (it is never inserted as markup), and the CSP's
 * `img-src 'self' data:` allows it.
 */
export function svgDataUrl(svg: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(svg)) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP": easier to read out and type by hand. */
export function groupInFours(secret: string): string {
  return (secret.replace(/\s/g, '').match(/.{1,4}/g) ?? []).join(' ');
}
