import { defineConfig } from 'vitest/config';

// Workspace packages export `@kindling/source` → src/*.ts, so tests need no build step.
const sourceConditions = { resolve: { conditions: ['@kindling/source'], externalConditions: ['@kindling/source'] } };

export default defineConfig({
  resolve: { conditions: ['@kindling/source'] },
  ssr: sourceConditions,
  // The global setup runs in vitest's own module environment, which has its own resolver.
  environments: { __vitest__: sourceConditions },
  test: {
    include: ['apps/*/src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'tools/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'tools/pipeline/fixtures/**'],
    globalSetup: ['tools/test-support/postgres-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
