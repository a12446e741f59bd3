import { defineConfig } from 'vitest/config';

// Tests over the shared real-capture corpus (../shared/corpus). Run by `npm run test:corpus` and .ci/run.
export default defineConfig({
  test: {
    include: ['src/**/*.corpus.test.ts'],
    globalSetup: ['src/corpus/require-corpus.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // Tables of agreement figures are part of the output; keep them visible.
    reporters: ['default'],
    disableConsoleIntercept: true,
  },
});
