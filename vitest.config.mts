import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'],
    setupFiles: ['tests/support/isolate-data-dir.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
