import { defineConfig } from 'vitest/config';

const everyTest = ['src/**/*.test.ts', 'test/**/*.test.ts', 'loadtest/**/*.test.ts'];
// Tests that judge responsiveness under load (*.solo.test.ts) run after the rest, with no other file beside them.
const soloTests = ['src/**/*.solo.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file gets its own database; two workers keep a 2-core box responsive.
    maxWorkers: 2,
    projects: [
      // The global setup (database check, SPA build) once, here: the solo group runs after it.
      {
        extends: true,
        test: { name: 'suite', include: everyTest, exclude: soloTests, globalSetup: ['src/testing/global-setup.ts'], sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: 'solo', include: soloTests, sequence: { groupOrder: 1 } } },
    ],
  },
});
