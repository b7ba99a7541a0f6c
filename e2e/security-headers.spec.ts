import type { APIResponse, Response } from '@playwright/test';
import { expect, test } from './fixtures.js';

function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

function expectSecurityHeaders(response: Response | APIResponse): void {
  const headers = response.headers();
  const policy = headers['content-security-policy'];
  expect(policy, 'content-security-policy header').toBeTruthy();
  const csp = directives(policy ?? '');
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  const scriptSrc = csp.get('script-src') ?? csp.get('default-src');
  expect(scriptSrc, 'script-src (or default-src)').toBeDefined();
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBeTruthy();
}

test('the HTML document carries the security headers', async ({ page }) => {
  for (const path of ['/', '/status', '/sign-in']) {
    const response = await page.goto(path);
    expect(response, `response for ${path}`).not.toBeNull();
    if (!response) continue;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/html');
    expectSecurityHeaders(response);
  }
});

test('API responses carry the security headers and are never cached', async ({ request }) => {
  const response = await request.get('/api/v1/status');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/json');
  expectSecurityHeaders(response);
  expect(response.headers()['cache-control']).toContain('no-store');
});
