import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../../server/router.ts';
import { CSRF_HEADER } from '../../../shared/csrf.ts';

/*
 * The scanner talks to the server through its own small client: one request per call (no batching
 * delay on the hot path) and the device token, when this phone is enrolled, as a Bearer header.
 * Staff without a device token are recognised by their session cookie instead.
 */
const TOKEN_KEY = 'gatekeeper.deviceToken';

/** Moves `#device=<token>` from the enrolment link into localStorage and out of the address bar. */
export function adoptDeviceTokenFromUrl() {
  const match = /(?:^#|&)device=([A-Za-z0-9_-]{20,200})/.exec(window.location.hash);
  if (!match) return;
  localStorage.setItem(TOKEN_KEY, match[1]!);
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

export const deviceToken = () => localStorage.getItem(TOKEN_KEY);
export const forgetDevice = () => localStorage.removeItem(TOKEN_KEY);

export const scannerClient = createTRPCClient<AppRouter>({
  links: [
    httpLink({
      url: '/trpc',
      headers: (): Record<string, string> => {
        const token = deviceToken();
        // Staff scanning with their session cookie need the CSRF header (src/server/plugins/csrf.ts).
        return token ? { [CSRF_HEADER]: '1', authorization: `Bearer ${token}` } : { [CSRF_HEADER]: '1' };
      },
    }),
  ],
});

/** A nonce per scan; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function newNonce(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

const errorStatus = (err: unknown) =>
  err instanceof TRPCClientError ? (err.data as { httpStatus?: number } | undefined)?.httpStatus : undefined;

/** No answer from the server, or a gateway failure: worth sending again with the same nonce. */
export function isTransient(err: unknown) {
  const status = errorStatus(err);
  return status === undefined || status >= 502;
}

export const isUnauthorized = (err: unknown) => errorStatus(err) === 401;
/** The server no longer knows this device (revoked): its offline data must go. */
export const isRevoked = (err: unknown) =>
  err instanceof TRPCClientError && (err.data as { appCode?: string } | undefined)?.appCode === 'DEVICE_REVOKED';
export const isBadRequest = (err: unknown) => errorStatus(err) === 400;
export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `send` with one nonce until it gets an answer: the server records a nonce once, so a request
 * that reached it before the network failed is answered with its original verdict, not a second scan.
 */
export async function withRetries<T>(send: (nonce: string) => Promise<T>, tries = 5): Promise<T> {
  const nonce = newNonce();
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(nonce);
    } catch (err) {
      if (attempt >= tries || !isTransient(err)) throw err;
      await sleep(250 * 2 ** attempt);
    }
  }
}

export type ScanResult = Awaited<ReturnType<typeof scannerClient.checkin.scan.mutate>>;
export type ScannerInfo = Awaited<ReturnType<typeof scannerClient.checkin.whoami.query>>;
export type Stats = Awaited<ReturnType<typeof scannerClient.checkin.stats.query>>;

export const scan = (input: { eventId: string; qr?: string; code?: string; direction?: 'in' | 'out' }) =>
  withRetries((nonce) => scannerClient.checkin.scan.mutate({ ...input, nonce, scannedAt: new Date().toISOString() }));

export const redeemAddOn = (ticketId: string, addOnId: string) =>
  withRetries((nonce) => scannerClient.checkin.redeemAddOn.mutate({ ticketId, addOnId, nonce }));

/** Undoing one redemption again gives nothing more back, so a lost answer is simply asked again. */
export const undoAddOnRedemption = (redemptionId: string) => withRetries(() => scannerClient.checkin.undoAddOnRedemption.mutate({ redemptionId }));

/** Every unit of the add-on is handed out already (another device may have taken the last). */
export const isNoneLeft = (err: unknown) =>
  err instanceof TRPCClientError && (err.data as { appCode?: string } | undefined)?.appCode === 'NONE_LEFT';
