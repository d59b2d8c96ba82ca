import { defineConfig } from '@playwright/test'

/** The packaged-shape app under a real Electron binary: runs only where one exists. */
export default defineConfig({
  testDir: 'tests/e2e-electron',
  workers: 1,
  retries: 0,
  timeout: 90_000,
  reporter: [['list'], ['json', { outputFile: 'test-reports/e2e-electron.json' }]],
})
