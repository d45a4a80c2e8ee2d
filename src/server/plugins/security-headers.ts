import type { FastifyInstance } from 'fastify';

/*
 * The security headers of every answer, built once at start-up and set with one call per request.
 * (@fastify/helmet, no longer a dependency, gave the same headers but rebuilt its middleware — parsing the policy — on every
 * request: 1–3 % of the CPU of a small call, see docs/performance.md.)
 */
const CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self' https: data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  // QR codes are data: PNGs; the scanner decodes in a blob: worker and reads the camera.
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
].join(';');

/** A year, subdomains included; no `preload`: that list is hard to leave and is the operator's call. */
const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(publicUrl: string): Record<string, string> {
  return {
    'content-security-policy': CSP,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    // Order links carry their token in the fragment; never leak the path either.
    'referrer-policy': 'no-referrer',
    // Only for https installs: on plain http (localhost, a LAN box) the header would be ignored at best.
    ...(publicUrl.startsWith('https://') ? { 'strict-transport-security': HSTS } : {}),
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };
}

export async function registerSecurityHeaders(app: FastifyInstance, publicUrl: string) {
  const headers = securityHeaders(publicUrl);
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}
