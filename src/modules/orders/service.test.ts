import { describe, it } from 'vitest';
import { orderScenarios } from '../../testing/order-scenarios.ts';
import { useTestDatabase } from '../../testing/suite.ts';

const suite = useTestDatabase();

// The same scenarios run on PGlite in db/pglite.smoke.test.ts.
describe('ordering on PostgreSQL', () => {
  it.each(Object.entries(orderScenarios))('%s', (_name, scenario) => scenario(suite.deps));
});
