import type { FastifyRequest } from 'fastify';
import { TRPCError } from '@trpc/server';
import { SESSION_COOKIE } from '../../modules/auth/index.ts';
import { AppError } from '../../shared/errors.ts';
import { CSRF_HEADER } from '../../shared/csrf.ts';
import type { TrpcGuard } from '../trpc-reply.ts';

/**
 * CSRF protection for cookie-authenticated tRPC mutations (POST). The session cookie is SameSite=Lax,
 * which already keeps it off cross-site POSTs; this also covers same-site attackers (a sibling subdomain)
 * and old browsers: a POST that carries the session cookie must carry CSRF_HEADER, and a browser that
 * says the request is cross-site (Sec-Fetch-Site) is refused. Requests without the cookie (device
 * tokens, anonymous checkout, login itself) act with no ambient authority and pass.
 */
export const csrfGuard: TrpcGuard = (req: FastifyRequest) => {
  if (req.method !== 'POST') return undefined;
  const hasSession = req.cookies?.[SESSION_COOKIE] !== undefined;
  const crossSite = req.headers['sec-fetch-site'] === 'cross-site';
  if (!hasSession && !crossSite) return undefined;
  if (!crossSite && req.headers[CSRF_HEADER] !== undefined) return undefined;
  const message = crossSite
    ? 'Cross-site requests are not accepted'
    : `Missing ${CSRF_HEADER} header: signed-in changes must come from the Gatekeeper app`;
  return new TRPCError({ code: 'FORBIDDEN', message, cause: new AppError('FORBIDDEN', message) });
};
