import { SESSION_COOKIE } from '../src/modules/auth/index.ts';
import { CSRF_HEADER } from '../src/shared/csrf.ts';

/*
 * The load generator's own tRPC calls against a running install (setup and clean-up; the measured load
 * goes through measure.ts): plain JSON over HTTP, as our SPA sends it. Each call is counted by procedure,
 * so the report can be checked against the server's own /metrics.
 */

export class TargetRefused extends Error {}

export type Remote = {
  url: string;
  /** One tRPC call by POST; its `result.data`, or an error naming the procedure and the server's message. */
  call<T>(procedure: string, input?: unknown, headers?: Record<string, string>): Promise<T>;
  /** Calls made so far, by procedure. */
  sent: Record<string, number>;
  /** The admin session (`name=value`) for requests the generator makes itself (the live page's stream). */
  cookie?: string;
};

export function remote(url: string, cookie?: string): Remote {
  const sent: Record<string, number> = {};
  return {
    url,
    sent,
    cookie,
    async call<T>(procedure: string, input?: unknown, headers: Record<string, string> = {}): Promise<T> {
      sent[procedure] = (sent[procedure] ?? 0) + 1;
      const res = await fetch(`${url}/trpc/${procedure}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', ...(cookie ? { cookie } : {}), ...headers },
        body: JSON.stringify(input ?? null),
      });
      const body = (await res.json().catch(() => null)) as { result?: { data: T }; error?: { message: string; data?: { appCode?: string } } } | null;
      if (!res.ok || !body?.result) {
        throw new Error(`${procedure} answered ${res.status}: ${body?.error?.message ?? 'no tRPC answer'}${body?.error?.data?.appCode ? ` (${body.error.data.appCode})` : ''}`);
      }
      return body.result.data;
    },
  };
}

/**
 * Signs in to the target as its admin (credentials from the environment, never argv or a URL) and
 * returns a client carrying the session. Refuses, in words, a target that doesn't answer or credentials
 * that don't work — before anything is created.
 */
export async function signInToTarget(url: string, env: NodeJS.ProcessEnv = process.env): Promise<Remote> {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.username || parsed.password || parsed.search) {
    throw new TargetRefused(`--target must be the install's base URL, like https://tickets.example.org (no credentials or query in it), got "${url}"`);
  }
  const base = parsed.origin + parsed.pathname.replace(/\/$/, '');
  const email = env.LOADTEST_ADMIN_EMAIL;
  const password = env.LOADTEST_ADMIN_PASSWORD;
  if (!email || !password) throw new TargetRefused('Set LOADTEST_ADMIN_EMAIL and LOADTEST_ADMIN_PASSWORD to an admin account of the target (never on the command line)');
  const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) }).catch((err: Error) => err);
  if (health instanceof Error || !health.ok) {
    const why = health instanceof Error ? ((health.cause as Error | undefined)?.message ?? health.message) : `GET /healthz answered ${health.status}`;
    throw new TargetRefused(`Cannot reach the target ${base}: ${why}. Nothing was created.`);
  }
  const login = await fetch(`${base}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.split(';')[0];
  if (!login.ok || !cookie) {
    throw new TargetRefused(`The target refused the admin sign-in for ${email} (HTTP ${login.status}); check LOADTEST_ADMIN_EMAIL / LOADTEST_ADMIN_PASSWORD. Nothing was created.`);
  }
  const admin = remote(base, cookie);
  admin.sent['auth.login'] = 1;
  return admin;
}
