/** The PostgreSQL server tests create their databases on (one per test file). */
export const testDatabaseUrl = () => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Redis for queue tests. */
export const testRedisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** In CI nothing may be skipped: a missing service is a failure, not a skip. */
export const isCI = () => process.env.CI === 'true' || process.env.CI === '1';
