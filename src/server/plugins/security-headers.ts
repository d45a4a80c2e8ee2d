import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';

/** A year, subdomains included; no `preload`: that list is hard to leave and is the operator's call. */
const HSTS = { maxAge: 31_536_000, includeSubDomains: true, preload: false };

export async function registerSecurityHeaders(app: FastifyInstance, publicUrl: string) {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // QR codes are data: PNGs; the scanner decodes in a blob: worker and reads the camera.
        imgSrc: ["'self'", 'data:', 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // Order links carry their token in the fragment; never leak the path either.
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    // Only for https installs: on plain http (localhost, a LAN box) the header would be ignored at best.
    hsts: publicUrl.startsWith('https://') ? HSTS : false,
  });
}
