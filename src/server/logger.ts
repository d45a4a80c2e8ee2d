import { LOAD_TEST_KEY_HEADER } from '../shared/load-test-key.ts';
import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';
import { safeError } from '../shared/log-safety.ts';

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

// Headers that carry credentials: sessions, device Bearer tokens, order tokens (should a client ever send
// one as a header), webhook signatures, load-test keys. Wherever headers end up in a log object, these are censored.
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-order-token', 'x-device-token', 'stripe-signature', LOAD_TEST_KEY_HEADER];
const REDACT_PATHS = SECRET_HEADERS.map((h) => `headers["${h}"]`).flatMap((h) => [h, `*.${h}`, `req.raw.${h}`]);

/**
 * The server's pino options (main.ts; tests add a stream to read what a deployment would log).
 * No log line may carry a secret: requests are logged as method + path (query strings may carry order
 * tokens), secret headers are redacted, and errors go through safeError (SQL text, not its parameters).
 */
export function serverLoggerOptions(config: Pick<Config, 'logLevel'>): LoggerOptions {
  return {
    level: config.logLevel,
    base: { pid: process.pid, instance: process.env.NODE_APP_INSTANCE },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req) => ({ method: req.method, url: req.url.split('?')[0], id: req.id }),
      err: (err) => safeError(err),
    },
  };
}

/** Where the server logs: stdout, or another writable stream (tests). */
export type LogOutput = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * serverLoggerOptions for `out`: readable lines (pino-pretty) when it is a terminal, JSON lines otherwise
 * (PM2, Docker, a pipe). Redaction and serializers run in pino before either format, so both hide the same.
 * pino-pretty is loaded only for a terminal, and synchronously, without pino's transport worker thread.
 */
export async function serverLogger(config: Pick<Config, 'logLevel'>, out: LogOutput = process.stdout): Promise<LoggerOptions> {
  const options = serverLoggerOptions(config);
  // To stdout pino writes through its own fast synchronous destination (fd 1); another output as given.
  if (!out.isTTY) return out === process.stdout ? options : { ...options, stream: out };
  const { default: pretty } = await import('pino-pretty');
  const stream = pretty({
    destination: out === process.stdout ? 1 : out,
    sync: true,
    colorize: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,instance',
    singleLine: true,
  });
  return { ...options, stream };
}
