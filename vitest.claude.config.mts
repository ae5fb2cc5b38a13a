import { defineConfig } from 'vitest/config'

// `npm run test:claude`: the real Claude Code native build against a real engine. Kept out of
// `npm test` (it fetches ~180 MB from the npm registry once); .ci/run runs it after.
export default defineConfig({
  test: {
    name: 'claude',
    include: ['test/claude/**/*.test.ts'],
    globalSetup: ['test/harness/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    maxWorkers: 1,
  },
})
