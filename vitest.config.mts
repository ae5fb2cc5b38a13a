import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'engine',
          include: ['test/engine/**/*.test.ts'],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Engine tests share one dockerd; two workers keep the 2-core machine responsive.
          maxWorkers: 2,
          // Unit tests first, then the engine tests (their own worker limit needs their own group).
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
