import { spawn, type ChildProcess } from 'node:child_process';
import { createNotificationQueue } from '../modules/notifications/index.ts';
import { workerRedis } from '../worker/notifier.ts';
import { testRedisUrl } from './env.ts';
import { waitFor } from './notifications.ts';
import type { startSesStandIn, startTwilioStandIn } from './provider-stand-ins.ts';

export type WorkerProcess = { child: ChildProcess; output: () => string };

/**
 * `npm run worker` as a real process, sending through the SES and Twilio stand-ins with short job locks
 * and backoff; resolves once it says it started.
 */
export async function spawnWorker(opts: {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  appSecret: string;
  ses: Awaited<ReturnType<typeof startSesStandIn>>;
  twilio: Awaited<ReturnType<typeof startTwilioStandIn>>;
  env?: Record<string, string>;
  /** What in its output to wait for (default: that it started). */
  until?: string;
}): Promise<WorkerProcess> {
  const { ses, twilio } = opts;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: opts.databaseUrl,
      REDIS_URL: opts.redisUrl,
      QUEUE_PREFIX: opts.queuePrefix,
      APP_SECRET: opts.appSecret,
      SES_FROM: 'tickets@example.com',
      SES_ENDPOINT: ses.url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: ses.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ses.credentials.secretAccessKey,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: twilio.from,
      TWILIO_API_BASE: twilio.url,
      NOTIFY_JOB_LOCK_MS: '2000',
      NOTIFY_BACKOFF_MS: '200',
      EMAIL_RATE_PER_SECOND: '50',
      SMS_RATE_PER_SECOND: '50',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const until = opts.until ?? 'notification worker started';
  await waitFor(async () => out.includes(until) || (child.exitCode !== null && Promise.reject(new Error(out))), `the worker to say "${until}"`, 60_000);
  return { child, output: () => out };
}

/** The child's exit code (or null for a signal), once it exited. */
export const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));

/** Removes a test's queue (its QUEUE_PREFIX) from the shared Redis. */
export async function obliterateQueue(prefix: string): Promise<void> {
  const connection = workerRedis(testRedisUrl());
  const queue = createNotificationQueue(connection, { prefix, maxAttempts: 1, backoffMs: 1 });
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
}
