// Test runner settings: every test under tests/, plus a reporter that ends with "N passed, N failed".
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
    pool: 'forks',
  },
});
