import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { serverLogger } from './logger.ts';

/** A stdout stand-in: a terminal or a pipe, keeping what was written. */
function output(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return Object.assign(stream, { isTTY, text: () => chunks.join('') });
}

async function logThrough(out: ReturnType<typeof output>) {
  const app = Fastify({ logger: await serverLogger({ logLevel: 'info' }, out) });
  app.log.info({ headers: { cookie: 'gk_session=very-secret-session', 'user-agent': 'test' } }, 'a request came in');
  // As Drizzle throws it: the parameters in the message and on the error; safeError keeps only the SQL text.
  const err = Object.assign(new Error('Failed query: INSERT INTO users (hash) VALUES ($1)\nparams: hash-of-password'), {
    query: 'INSERT INTO users (hash) VALUES ($1)',
    params: ['hash-of-password'],
  });
  app.log.error({ err }, 'boom');
  await app.close();
  return out.text();
}

describe('server logs', () => {
  it('are readable lines on a terminal, with the same redaction and error serializer', async () => {
    const text = await logThrough(output(true));
    expect(text).toContain('a request came in');
    expect(text).toMatch(/INFO/);
    expect(text).toMatch(/ERROR/);
    expect(() => JSON.parse(text.split('\n')[0]!)).toThrow();
    expect(text).toContain('[redacted]');
    expect(text).toContain('INSERT INTO users (hash) VALUES ($1)');
    expect(text).not.toContain('very-secret-session');
    expect(text).not.toContain('hash-of-password');
  });

  it('are JSON lines when stdout is not a terminal (PM2, Docker, a pipe)', async () => {
    const text = await logThrough(output(false));
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; level: number; headers?: { cookie: string } });
    expect(lines.map((l) => l.msg)).toEqual(['a request came in', 'boom']);
    expect(lines[0]!.headers!.cookie).toBe('[redacted]');
    expect(text).not.toContain('very-secret-session');
    expect(text).not.toContain('hash-of-password');
  });
});
