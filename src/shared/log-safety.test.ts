import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/suite.ts';
import { safeError, safeErrorMessage, withSafeErrors } from './log-safety.ts';

/* Real PostgreSQL errors, as Drizzle hands them to us, made safe to log. */

const suite = useTestDatabase();
const SECRET = 'sEcReT-qr-value-0123456789';

const failureOf = (p: Promise<unknown>) => p.then(() => expect.fail('the statement should fail'), (err: unknown) => err);

describe('safeError', () => {
  it('keeps the SQL text and SQLSTATE of a failed query but not its parameters, nor the value PostgreSQL quotes', async () => {
    const err = await failureOf(suite.deps.db.execute(sql`select ${SECRET}::uuid as id`));
    expect(String((err as Error).message)).toContain(SECRET); // what Drizzle would have logged
    const safe = safeError(err);
    expect(safe).toMatchObject({ type: 'DrizzleQueryError', sql: 'select $1::uuid as id', code: '22P02', message: 'Failed query: select $1::uuid as id' });
    expect(safe.cause).toMatchObject({ code: '22P02', message: 'invalid input syntax for type uuid: "…"' });
    expect(JSON.stringify(safe)).not.toContain(SECRET);
    expect(safeErrorMessage(err)).toBe('Failed query: select $1::uuid as id');
  });

  it('keeps the constraint of a violation but drops its detail, which repeats the key value', async () => {
    await suite.deps.db.execute(sql`create table log_safety_keys (k text constraint log_safety_keys_k unique)`);
    await suite.deps.db.execute(sql`insert into log_safety_keys values (${SECRET})`);
    const err = await failureOf(suite.deps.db.execute(sql`insert into log_safety_keys values (${SECRET})`));
    expect(JSON.stringify((err as { cause: unknown }).cause, ['detail'])).toContain(SECRET);
    const safe = safeError(err);
    expect(safe).toMatchObject({ code: '23505', constraint: 'log_safety_keys_k', table: 'log_safety_keys' });
    expect(safe.stack).toMatch(/^\s+at /);
    expect(JSON.stringify(safe)).not.toContain(SECRET);
  });

  it('says only what a thrown non-Error was, and makes the errors in a log object safe', () => {
    expect(safeError(`token ${SECRET}`)).toEqual({ type: 'string', message: 'a value that is not an Error was thrown', stack: '' });
    const logged = withSafeErrors({ outboxId: 'o1', err: Object.assign(new Error('Failed query: x'), { query: 'x', params: [SECRET] }) });
    expect(logged).toMatchObject({ outboxId: 'o1', err: { sql: 'x', message: 'Failed query: x' } });
    expect(JSON.stringify(logged)).not.toContain(SECRET);
  });
});
