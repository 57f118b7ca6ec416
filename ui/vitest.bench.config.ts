import { defineConfig } from 'vitest/config';

// `npm run bench`: timing tests of pure functions, in Node (no DOM), one file at a time so
// that nothing else competes for the CPU while they measure.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/bench/**/*.bench.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
  },
});
