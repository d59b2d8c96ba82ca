import { defineConfig } from '@playwright/test'

/**
 * The built renderer (out/renderer) in Debian's Chromium, headless, with window.api bridged to the
 * real main-process handlers in the test process (tests/support/bridge.ts). No Electron needed.
 */
export default defineConfig({
  testDir: 'tests/e2e-web',
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: 'test-reports/e2e-web.json' }]],
  use: {
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
})
