import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One config for the app (vite) and the unit tests (vitest).
// Corpus tests (*.corpus.test.ts) need ../shared/corpus and run through vitest.corpus.config.ts.
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts', 'bench/*.test.ts'],
    exclude: ['**/*.corpus.test.ts', 'node_modules/**', 'e2e/**'],
    environment: 'node',
  },
});
