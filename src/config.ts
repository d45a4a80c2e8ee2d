import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** Every environment variable the product reads, parsed once. README "Configuration" mirrors this. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalString,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2, 'DATABASE_POOL_SIZE must be at least 2 (startup holds one connection for its lock)').max(200).default(10),
  REDIS_URL: optionalString,
  SEED_DEMO: bool.default(true),
  ADMIN_EMAIL: optionalString.pipe(z.email().optional()),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(10, 'ADMIN_PASSWORD must be at least 10 characters').optional()),
  HOLD_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  TRUST_PROXY: bool.default(false),
  CHECKIN_CODE_MAX_MISSES: z.coerce.number().int().min(1).max(1000).default(10),
  CHECKIN_CODE_MAX_MISSES_PER_IP: z.coerce.number().int().min(1).max(10_000).default(30),
  CHECKIN_CODE_COOLDOWN_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_REQUESTS: bool.default(false),
  RATE_LIMIT_LOGIN_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  RATE_LIMIT_ORDERS_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional()),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  LOADTEST: bool.default(false),
  TRPC_FAST_PATH: bool.default(true),
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
  redisUrl?: string;
  seedDemo: boolean;
  adminEmail?: string;
  adminPassword?: string;
  defaultHoldMinutes: number;
  trustProxy: boolean;
  logLevel: string;
  /** One info line per finished request (off by default: the hot path then logs only warnings and errors). */
  logRequests: boolean;
  /** Per-IP attempts per minute; 0 turns the limit off. */
  rateLimitLoginPerMinute: number;
  rateLimitOrdersPerMinute: number;
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** How long a stopping process waits for in-flight requests before it exits anyway. */
  shutdownGraceMs: number;
  /** Enables the load test's internal probe (/internal/loadtest/*). Never in production. */
  loadtest: boolean;
  /** Single tRPC calls skip the stock adapter's Request/Response round trip (src/server/trpc-http.ts). */
  trpcFastPath: boolean;
  /** Unknown 6-digit codes one scanner, and one IP address, may try per minute before cooling off. */
  checkinCodeMaxMisses: number;
  checkinCodeMaxMissesPerIp: number;
  checkinCodeCooldownSeconds: number;
};

export class ConfigError extends Error {}

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
  if (e.LOADTEST && e.NODE_ENV === 'production') {
    throw new ConfigError('Invalid configuration:\n  LOADTEST=true exposes an internal benchmark endpoint and is refused with NODE_ENV=production');
  }
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    seedDemo: e.SEED_DEMO,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    defaultHoldMinutes: e.HOLD_MINUTES,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    logRequests: e.LOG_REQUESTS,
    rateLimitLoginPerMinute: e.RATE_LIMIT_LOGIN_PER_MINUTE,
    rateLimitOrdersPerMinute: e.RATE_LIMIT_ORDERS_PER_MINUTE,
    metricsToken: e.METRICS_TOKEN,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    loadtest: e.LOADTEST,
    trpcFastPath: e.TRPC_FAST_PATH,
    checkinCodeMaxMisses: e.CHECKIN_CODE_MAX_MISSES,
    checkinCodeMaxMissesPerIp: e.CHECKIN_CODE_MAX_MISSES_PER_IP,
    checkinCodeCooldownSeconds: e.CHECKIN_CODE_COOLDOWN_SECONDS,
  };
}

/** A config for tests and scripts: defaults plus overrides, no environment read. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false' }), ...overrides };
}
