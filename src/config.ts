import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { passwordWeakness } from './modules/auth/password-policy.ts';
import { loadPassesConfig, type PassesConfig } from './modules/passes/credentials.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

// proxy-addr's names for address ranges (Fastify's trustProxy understands them).
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyAddress = (entry: string) => {
  if (PROXY_RANGE_NAMES.has(entry) || isIP(entry) !== 0) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  return rest.length === 0 && family !== 0 && /^\d{1,3}$/.test(bits ?? '') && Number(bits) <= (family === 4 ? 32 : 128);
};

/**
 * Which proxies' X-Forwarded-For entries to believe: off, a hop count, or the proxies' addresses. Never
 * "all": the leading entries are whatever the client wrote, and req.ip keys the per-IP limits.
 */
const trustProxy = z
  .string()
  .optional()
  .transform((raw, ctx): false | number | string[] => {
    const v = raw?.trim().toLowerCase() ?? '';
    if (['', 'false', '0', 'no', 'off'].includes(v)) return false;
    if (['true', 'yes', 'on'].includes(v)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'TRUST_PROXY=true would trust every X-Forwarded-For entry, and clients write those themselves (defeating the per-IP limits). ' +
          'Set the number of proxies in front of the server (e.g. 1 for one load balancer or reverse proxy), ' +
          'or their addresses/CIDRs (e.g. 10.0.0.0/8,127.0.0.1 or loopback), or false',
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(v)) {
      const hops = Number(v);
      if (hops <= 10) return hops;
      ctx.addIssue({ code: 'custom', message: 'TRUST_PROXY hop count must be at most 10' });
      return z.NEVER;
    }
    const entries = v.split(',').map((e) => e.trim());
    const bad = entries.filter((e) => !isProxyAddress(e));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `TRUST_PROXY takes false, a hop count, or comma-separated proxy addresses/CIDRs; not an address: ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
      });
      return z.NEVER;
    }
    return entries;
  });

/** Every environment variable the product reads, parsed once. README "Configuration" mirrors this. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalString,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2, 'DATABASE_POOL_SIZE must be at least 2 (startup holds one connection for its lock)').max(200).default(10),
  DATABASE_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  REDIS_URL: optionalString,
  SEED_DEMO: bool.default(true),
  ADMIN_EMAIL: optionalString.pipe(z.email().optional()),
  ADMIN_PASSWORD: optionalString.pipe(
    z
      .string()
      .min(10, 'ADMIN_PASSWORD must be at least 10 characters')
      .refine((pw) => passwordWeakness(pw) === null, 'ADMIN_PASSWORD is a common or easily guessed password; choose a longer, less predictable one')
      .optional(),
  ),
  HOLD_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  TRUST_PROXY: trustProxy,
  CHECKIN_CODE_MAX_MISSES: z.coerce.number().int().min(1).max(1000).default(10),
  CHECKIN_CODE_MAX_MISSES_PER_IP: z.coerce.number().int().min(1).max(10_000).default(30),
  CHECKIN_CODE_COOLDOWN_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  APP_SECRET: optionalString.pipe(z.string().min(32, 'APP_SECRET must be at least 32 characters').optional()),
  SES_FROM: optionalString,
  AWS_REGION: z.string().default('us-east-1'),
  SES_ENDPOINT: optionalString.pipe(z.url().optional()),
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_FROM: optionalString,
  TWILIO_API_BASE: optionalString.pipe(z.url().optional()),
  EMAIL_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(1),
  SMS_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(1),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  NOTIFY_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(5000),
  NOTIFY_JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  QUEUE_PREFIX: z.string().regex(/^[\w-]{1,40}$/).default('gk'),
  RESEND_LIMIT_PER_HOUR: z.coerce.number().int().min(0).max(100).default(3),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  /** Another Stripe API endpoint, e.g. stripe-mock at http://127.0.0.1:12111. */
  STRIPE_API_BASE: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  STRIPE_RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(20),
  LOG_REQUESTS: bool.default(false),
  RATE_LIMIT_LOGIN_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  RATE_LIMIT_ORDERS_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  RATE_LIMIT_ORDERS_PER_IP_PER_MINUTE: z.coerce.number().int().min(0).default(300),
  RATE_LIMIT_ORDER_READS_PER_MINUTE: z.coerce.number().int().min(0).default(120),
  RATE_LIMIT_TICKET_DOWNLOADS_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  FREE_ORDERS_PER_RECIPIENT_PER_HOUR: z.coerce.number().int().min(0).default(5),
  FREE_ORDERS_PER_IP_PER_HOUR: z.coerce.number().int().min(0).default(30),
  RATE_LIMIT_GATE_SNAPSHOTS_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  RATE_LIMIT_GATE_UPLOADS_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  RATE_LIMIT_GATE_ADD_ONS_PER_MINUTE: z.coerce.number().int().min(0).default(120),
  RATE_LIMIT_VOUCHER_CHECKS_PER_MINUTE: z.coerce.number().int().min(0).default(20),
  WAITLIST_JOINS_PER_IP_PER_HOUR: z.coerce.number().int().min(0).default(20),
  WAITLIST_JOINS_PER_EMAIL_PER_HOUR: z.coerce.number().int().min(0).default(3),
  WAITLIST_OFFER_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(24),
  RATE_LIMIT_EXPORTS_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  HOLD_LIMIT_PER_EMAIL: z.coerce.number().int().min(0).default(20),
  HOLD_LIMIT_PER_ADDRESS: z.coerce.number().int().min(0).default(200),
  ALLOW_TEST_PAYMENTS: bool.default(false),
  LOGIN_LOCKOUT_FAILURES: z.coerce.number().int().min(0).max(1000).default(5),
  // At most the absolute session lifetime (14 days); longer would mean "never idle".
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(14 * 24 * 60).default(120),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional()),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  LOADTEST: bool.default(false),
  TRPC_SCAN_ROUTE: bool.default(true),
  APPLE_PASS_TYPE_ID: optionalString,
  APPLE_TEAM_ID: optionalString,
  APPLE_PASS_CERT: optionalString,
  APPLE_PASS_KEY: optionalString,
  APPLE_PASS_KEY_PASSPHRASE: optionalString,
  APPLE_WWDR_CERT: optionalString,
  APPLE_PASS_ORGANIZATION: optionalString,
  GOOGLE_WALLET_ISSUER_ID: optionalString,
  GOOGLE_WALLET_SERVICE_ACCOUNT: optionalString,
});

export type Config = {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Base of links we hand out (emails, payment returns); derived from PORT when unset. */
  publicUrl: string;
  dataDir: string;
  databaseUrl?: string;
  databasePoolSize: number;
  /** How long a starting process retries an unreachable PostgreSQL before it exits (no crash loop meanwhile). */
  databaseWaitSeconds: number;
  redisUrl?: string;
  seedDemo: boolean;
  adminEmail?: string;
  adminPassword?: string;
  defaultHoldMinutes: number;
  /** How long a waiting-list offer holds its seats for the person offered them. */
  waitlistOfferHours: number;
  /**
   * Fastify's trustProxy: false, how many proxies (hops) stand in front of us, or their addresses/CIDRs.
   * req.ip (and every per-IP limit) comes from the last X-Forwarded-For entry added by a trusted proxy.
   */
  trustProxy: false | number | string[];
  logLevel: string;
  /** One info line per finished request (off by default: the hot path then logs only warnings and errors). */
  logRequests: boolean;
  /** Abuse limits; 0 turns one off. README "Abuse limits" says how the defaults were chosen. */
  limits: LimitsConfig;
  /** The TEST payment provider (no money collected) under NODE_ENV=production; always on elsewhere. */
  allowTestPayments: boolean;
  /** Consecutive failed sign-ins for one email before it is locked out for a while; 0 turns the lockout off. */
  loginLockoutFailures: number;
  /** A session unused this long is signed out (the absolute lifetime still applies). */
  sessionIdleMinutes: number;
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** How long a stopping process waits for in-flight requests before it exits anyway. */
  shutdownGraceMs: number;
  /** Enables the load test's internal probe (/internal/loadtest/*). Never in production. */
  loadtest: boolean;
  /** checkin.scan by its own Fastify route through createCaller (src/server/plugins/trpc.ts), else the stock plugin. */
  trpcScanRoute: boolean;
  /** Unknown 6-digit codes one scanner, and one IP address, may try per minute before cooling off. */
  checkinCodeMaxMisses: number;
  checkinCodeMaxMissesPerIp: number;
  checkinCodeCooldownSeconds: number;
  /** Signs the order links sent in messages; main.ts falls back to DATA_DIR/secret (see shared/app-secret.ts). */
  appSecret?: string;
  notifications: NotificationsConfig;
  /** Set when STRIPE_SECRET_KEY is: new priced orders then pay through Stripe Checkout. */
  stripe?: StripeConfig;
  /** Apple and Google Wallet credentials, read and checked at start; each wallet is off while unset. */
  passes: PassesConfig;
};

export type LimitsConfig = {
  /** Sign-in attempts per IP per minute. */
  loginPerMinute: number;
  /** Orders per buyer (IP and email together) per minute, and per IP whatever the email. */
  ordersPerBuyerPerMinute: number;
  ordersPerIpPerMinute: number;
  /** Calls carrying an order token (orders.get, payment, resend) per IP per minute. */
  orderReadsPerMinute: number;
  /** Tickets PDF, calendar entry and wallet pass downloads per IP per minute. */
  ticketDownloadsPerMinute: number;
  /** Free orders (sent by email/SMS without any payment) per recipient, and per IP, per hour. */
  freeOrdersPerRecipientPerHour: number;
  freeOrdersPerIpPerHour: number;
  /**
   * checkin.snapshot and checkin.sync calls per scanner device per minute: a phone polls a delta every
   * 4 s and fetches a 100,000-ticket event in 20 pages; an upload carries up to 500 scans.
   */
  gateSnapshotsPerMinute: number;
  gateUploadsPerMinute: number;
  /** Add-on redemptions and their undos per scanner (device, or staff login without one) per minute. */
  gateAddOnsPerMinute: number;
  /** Calls that look up a voucher code (event page with ?voucher=, orders with a voucher) per IP per minute: codes can't be guessed by trying. */
  voucherChecksPerMinute: number;
  /** Waiting-list sign-ups (each sends email/SMS later) per IP, and per email address, per hour. */
  waitlistJoinsPerIpPerHour: number;
  waitlistJoinsPerEmailPerHour: number;
  /** CSV exports per signed-in user per minute (each reads a whole event). */
  exportsPerMinute: number;
  /** Tickets one email, and one address, may hold in pending orders of an event at once. */
  heldTicketsPerEmail: number;
  heldTicketsPerAddress: number;
};

export type NotificationsConfig = {
  /** Unset: emails are written to DATA_DIR/outbox/ instead. */
  ses?: { from: string; region: string; endpoint?: string };
  /** Unset: SMS are written to DATA_DIR/outbox/ instead. */
  twilio?: { accountSid: string; authToken: string; from: string; apiBase?: string };
  emailPerSecond: number;
  smsPerSecond: number;
  maxAttempts: number;
  /** First retry delay; each further retry waits twice as long. */
  backoffMs: number;
  /** How long a job of a worker that died stays locked before another worker runs it again. */
  jobLockMs: number;
  queuePrefix: string;
  /** How often a customer may ask for their tickets again, per order and hour. */
  resendPerHour: number;
};

export type StripeConfig = {
  secretKey: string;
  webhookSecret: string;
  /** Defaults to Stripe itself. */
  apiBase?: string;
  /** Outbound requests per second per endpoint, shared across processes through REDIS_URL. */
  rateLimitPerSecond: number;
};

export class ConfigError extends Error {}

// Tests sign order links with a per-process random secret.
const TEST_APP_SECRET = randomBytes(32).toString('base64url');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('Invalid configuration:\n  ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  const twilioParts = [e.TWILIO_ACCOUNT_SID, e.TWILIO_AUTH_TOKEN, e.TWILIO_FROM];
  if (twilioParts.some((v) => v !== undefined) && twilioParts.some((v) => v === undefined)) {
    throw new ConfigError('Invalid configuration:\n  TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM must be set together');
  }
  if ((e.STRIPE_SECRET_KEY === undefined) !== (e.STRIPE_WEBHOOK_SECRET === undefined)) {
    throw new ConfigError('Invalid configuration:\n  STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET must be set together');
  }
  if (e.LOADTEST && e.NODE_ENV === 'production') {
    throw new ConfigError('Invalid configuration:\n  LOADTEST=true exposes an internal benchmark endpoint and is refused with NODE_ENV=production');
  }
  let passes: PassesConfig;
  try {
    passes = loadPassesConfig(e);
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  ${(err as Error).message}`);
  }
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseWaitSeconds: e.DATABASE_WAIT_SECONDS,
    redisUrl: e.REDIS_URL,
    seedDemo: e.SEED_DEMO,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    defaultHoldMinutes: e.HOLD_MINUTES,
    waitlistOfferHours: e.WAITLIST_OFFER_HOURS,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    logRequests: e.LOG_REQUESTS,
    limits: {
      loginPerMinute: e.RATE_LIMIT_LOGIN_PER_MINUTE,
      ordersPerBuyerPerMinute: e.RATE_LIMIT_ORDERS_PER_MINUTE,
      ordersPerIpPerMinute: e.RATE_LIMIT_ORDERS_PER_IP_PER_MINUTE,
      orderReadsPerMinute: e.RATE_LIMIT_ORDER_READS_PER_MINUTE,
      ticketDownloadsPerMinute: e.RATE_LIMIT_TICKET_DOWNLOADS_PER_MINUTE,
      freeOrdersPerRecipientPerHour: e.FREE_ORDERS_PER_RECIPIENT_PER_HOUR,
      freeOrdersPerIpPerHour: e.FREE_ORDERS_PER_IP_PER_HOUR,
      gateSnapshotsPerMinute: e.RATE_LIMIT_GATE_SNAPSHOTS_PER_MINUTE,
      gateUploadsPerMinute: e.RATE_LIMIT_GATE_UPLOADS_PER_MINUTE,
      gateAddOnsPerMinute: e.RATE_LIMIT_GATE_ADD_ONS_PER_MINUTE,
      voucherChecksPerMinute: e.RATE_LIMIT_VOUCHER_CHECKS_PER_MINUTE,
      waitlistJoinsPerIpPerHour: e.WAITLIST_JOINS_PER_IP_PER_HOUR,
      waitlistJoinsPerEmailPerHour: e.WAITLIST_JOINS_PER_EMAIL_PER_HOUR,
      exportsPerMinute: e.RATE_LIMIT_EXPORTS_PER_MINUTE,
      heldTicketsPerEmail: e.HOLD_LIMIT_PER_EMAIL,
      heldTicketsPerAddress: e.HOLD_LIMIT_PER_ADDRESS,
    },
    allowTestPayments: e.ALLOW_TEST_PAYMENTS,
    loginLockoutFailures: e.LOGIN_LOCKOUT_FAILURES,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    metricsToken: e.METRICS_TOKEN,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    loadtest: e.LOADTEST,
    trpcScanRoute: e.TRPC_SCAN_ROUTE,
    checkinCodeMaxMisses: e.CHECKIN_CODE_MAX_MISSES,
    checkinCodeMaxMissesPerIp: e.CHECKIN_CODE_MAX_MISSES_PER_IP,
    checkinCodeCooldownSeconds: e.CHECKIN_CODE_COOLDOWN_SECONDS,
    appSecret: e.APP_SECRET,
    notifications: {
      ses: e.SES_FROM ? { from: e.SES_FROM, region: e.AWS_REGION, endpoint: e.SES_ENDPOINT } : undefined,
      twilio:
        e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN && e.TWILIO_FROM
          ? { accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, from: e.TWILIO_FROM, apiBase: e.TWILIO_API_BASE }
          : undefined,
      emailPerSecond: e.EMAIL_RATE_PER_SECOND,
      smsPerSecond: e.SMS_RATE_PER_SECOND,
      maxAttempts: e.NOTIFY_MAX_ATTEMPTS,
      backoffMs: e.NOTIFY_BACKOFF_MS,
      jobLockMs: e.NOTIFY_JOB_LOCK_MS,
      queuePrefix: e.QUEUE_PREFIX,
      resendPerHour: e.RESEND_LIMIT_PER_HOUR,
    },
    stripe:
      e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET
        ? {
            secretKey: e.STRIPE_SECRET_KEY,
            webhookSecret: e.STRIPE_WEBHOOK_SECRET,
            apiBase: e.STRIPE_API_BASE,
            rateLimitPerSecond: e.STRIPE_RATE_LIMIT_PER_SECOND,
          }
        : undefined,
    passes,
  };
}

/** For entry points (server, worker): a bad configuration prints what is wrong and exits. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

/** A config for tests and scripts: defaults plus overrides, no environment read. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false' });
  // Every test client comes from 127.0.0.1 with a handful of emails: limits are off unless a test is about them.
  const unlimited = Object.fromEntries(Object.keys(base.limits).map((k) => [k, 0])) as LimitsConfig;
  return { ...base, appSecret: TEST_APP_SECRET, limits: unlimited, ...overrides };
}
