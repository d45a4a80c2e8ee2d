import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const errorOf = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('defaults to the embedded one-command start', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      dataDir: './data',
      databaseUrl: undefined,
      seedDemo: true,
      defaultHoldMinutes: 15,
      sessionIdleMinutes: 120,
      loginLockoutFailures: 5,
    });
    expect(loadConfig({ SEED_DEMO: 'false', PORT: '8080', PUBLIC_URL: 'https://tickets.example.org/', DATABASE_URL: '  ' })).toMatchObject({
      seedDemo: false,
      port: 8080,
      publicUrl: 'https://tickets.example.org',
      databaseUrl: undefined,
    });
  });

  it.each([
    [{ PORT: 'http' }, /PORT: .*number/i],
    [{ PORT: '70000' }, /PORT:/],
    [{ PORT: '-1' }, /PORT:/],
    [{ SEED_DEMO: 'maybe' }, /SEED_DEMO:/],
    [{ PUBLIC_URL: 'tickets.example.org' }, /PUBLIC_URL:/],
    [{ HOLD_MINUTES: '0' }, /HOLD_MINUTES:/],
    [{ ADMIN_EMAIL: 'boss@example.com' }, /ADMIN_EMAIL and ADMIN_PASSWORD must be set together/],
    [{ ADMIN_PASSWORD: 'a long admin password' }, /ADMIN_EMAIL and ADMIN_PASSWORD must be set together/],
    [{ ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'short' }, /ADMIN_PASSWORD: ADMIN_PASSWORD must be at least 10 characters/],
    [{ ADMIN_EMAIL: 'boss', ADMIN_PASSWORD: 'a long admin password' }, /ADMIN_EMAIL:/],
    ...['password12', '1234567890', 'qwertyuiop', 'aaaaaaaaaa'].map((pw) => [
      { ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: pw },
      /ADMIN_PASSWORD: ADMIN_PASSWORD is a common or easily guessed password/,
    ]),
    [{ SESSION_IDLE_MINUTES: '0' }, /SESSION_IDLE_MINUTES:/],
    [{ LOGIN_LOCKOUT_FAILURES: '-1' }, /LOGIN_LOCKOUT_FAILURES:/],
  ] as [NodeJS.ProcessEnv, RegExp][])('%o is refused with a message naming the variable', (env, message) => {
    const text = errorOf(env);
    expect(text).toMatch(/^Invalid configuration:/);
    expect(text).toMatch(message);
  });

  it('names every bad variable at once', () => {
    const text = errorOf({ PORT: 'x', LOG_LEVEL: 'loud' });
    expect(text).toContain('PORT:');
    expect(text).toContain('LOG_LEVEL:');
  });
});

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['1', 1],
    [' 2 ', 2],
    ['10.0.0.0/8', ['10.0.0.0/8']],
    ['127.0.0.1, 10.0.0.0/8,fd00::/8', ['127.0.0.1', '10.0.0.0/8', 'fd00::/8']],
    ['loopback,192.0.2.7', ['loopback', '192.0.2.7']],
  ] as [string | undefined, unknown][])('%o is %o', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('refuses true, which would trust the client-written entries, and says what to set instead', () => {
    for (const value of ['true', 'TRUE', 'yes']) {
      const text = errorOf({ TRUST_PROXY: value });
      expect(text).toMatch(/^Invalid configuration:\n {2}TRUST_PROXY: TRUST_PROXY=true would trust every X-Forwarded-For entry/);
      expect(text).toMatch(/number of proxies in front of the server \(e\.g\. 1/);
      expect(text).toMatch(/addresses\/CIDRs/);
    }
  });

  it.each(['everything', '10.0.0.0/33', '10.0.0.1,example.com', '11', '1.5', '10.0.0.0/8/1'])('refuses %o naming the bad entry', (value) => {
    expect(errorOf({ TRUST_PROXY: value })).toMatch(/TRUST_PROXY: TRUST_PROXY (takes false, a hop count|hop count must be at most 10)/);
  });
});
