import { spawn, type ChildProcess } from 'node:child_process';

export type ServerProcess = { url: string; child: ChildProcess; output: () => string; stop(signal?: NodeJS.Signals): Promise<number | null> };

/** Races send hundreds of requests from 127.0.0.1 with a few emails: limits off unless the test sets them. */
export const RACE_LIMITS_OFF = {
  RATE_LIMIT_LOGIN_PER_MINUTE: '0',
  RATE_LIMIT_ORDERS_PER_MINUTE: '0',
  RATE_LIMIT_ORDERS_PER_IP_PER_MINUTE: '0',
  RATE_LIMIT_ORDER_READS_PER_MINUTE: '0',
  FREE_ORDERS_PER_RECIPIENT_PER_HOUR: '0',
  FREE_ORDERS_PER_IP_PER_HOUR: '0',
  HOLD_LIMIT_PER_EMAIL: '0',
  HOLD_LIMIT_PER_ADDRESS: '0',
  RATE_LIMIT_VOUCHER_CHECKS_PER_MINUTE: '0',
  WAITLIST_JOINS_PER_IP_PER_HOUR: '0',
  WAITLIST_JOINS_PER_EMAIL_PER_HOUR: '0',
};

/**
 * What node runs, and where (the client is served from `cwd`/dist/client). `flags` come first, so a
 * caller's own node arguments (a benchmark's heap cap, say) override them.
 */
export type ServerCommand = { args: string[]; flags?: string[]; cwd?: string };
/** The sources through the tsx loader: what tests run, so they never depend on a stale build. */
export const SOURCE_SERVER: ServerCommand = { args: ['--import', 'tsx', 'src/server/main.ts'] };
/**
 * The esbuild bundle as `npm start`, PM2 and Docker run it (scripts/build.mjs must have built it), with
 * their heap cap (src/server/launchers.test.ts checks that the four agree).
 */
export const BUNDLED_SERVER: ServerCommand = { args: ['dist/server/main.js'], flags: ['--max-old-space-size=128'] };

/**
 * Starts the server (by default `node --import tsx src/server/main.ts`) as a real separate process on a
 * free port, for tests whose claims are about several processes (a cluster) sharing one database.
 * Resolves once it is ready, or with `until: 'accepting'` once it listens (before its database answered).
 */
export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 60_000,
  nodeArgs: string[] = [],
  opts: { until?: 'ready' | 'accepting'; command?: ServerCommand } = {},
): Promise<ServerProcess> {
  const marker = opts.until === 'accepting' ? /\{"accepting":"([^"]+)"\}/ : /\{"listening":"([^"]+)"\}/;
  const command = opts.command ?? SOURCE_SERVER;
  const child = spawn(process.execPath, [...(command.flags ?? []), ...nodeArgs, ...command.args], {
    cwd: command.cwd,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      PRINT_LISTEN_JSON: '1',
      ...RACE_LIMITS_OFF,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    child.stdout!.on('data', () => {
      const m = marker.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}
