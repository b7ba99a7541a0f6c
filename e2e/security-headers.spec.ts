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

test('API responses carry the security headers and are never cached', async ({ page }) => {
  // page.request shares the page's signed-in session; the status API needs one.
  const response = await page.request.get('/api/v1/status');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/json');
  expectSecurityHeaders(response);
  expect(response.headers()['cache-control']).toContain('no-store');
});

test.describe('signed out', () => {
  test.use({ signedIn: false });

  test('API answers without a session carry them too, and ask for sign-in', async ({ request }) => {
    for (const path of ['/api/v1/status', '/api/v1/auth/session', '/api/v1/account/sessions']) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(401);
      expectSecurityHeaders(response);
      expect(response.headers()['cache-control']).toContain('no-store');
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    }
  });
});
