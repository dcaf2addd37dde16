import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'kernel-images/**/*.test.ts', 'test/**/*.test.ts'],
    // kernel-images/build/ holds extracted Debian trees (with /proc mounted while building).
    exclude: ['**/node_modules/**', 'kernel-images/build/**'],
    reporters: ['default', './test/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Guest tests each boot a v86 VM (one core each); more than two at once only thrashes.
    maxWorkers: 2,
  },
});
