import { defineConfig } from 'vitest/config';

const everyTest = ['src/**/*.test.ts', 'test/**/*.test.ts', 'loadtest/**/*.test.ts'];
// Tests that judge responsiveness under load (*.solo.test.ts) run after the rest, with no other file beside them.
const soloTests = ['src/**/*.solo.test.ts'];

export default defineConfig({
  test: {
    // Runs once per project; the second run finds dist/ current and builds nothing.
    globalSetup: ['src/testing/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file gets its own database; two workers keep a 2-core box responsive.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'suite', include: everyTest, exclude: soloTests, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'solo', include: soloTests, sequence: { groupOrder: 1 } } },
    ],
  },
});
