import { test as base, expect } from '@playwright/test'
import { join } from 'node:path'
import { openApp } from '../support/bridge'
import { tempContext, type TempContext } from '../support/context'
import { serveStatic, type StaticServer } from '../support/static-server'

interface WorkerFixtures {
  renderer: StaticServer
}
interface TestFixtures {
  ctx: TempContext
  /** Environment for the context (e.g. OLLAMA_HOST pointing at a fake server); override per test. */
  appEnv: NodeJS.ProcessEnv
  /** Errors the page logged; a test that provokes one on purpose removes it. Must end empty. */
  pageErrors: string[]
  /** Opens the app in the page; call after arranging data in `ctx`. */
  open: () => Promise<void>
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  renderer: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await serveStatic(join(__dirname, '../../out/renderer'))
      await use(server)
      await server.close()
    },
    { scope: 'worker' },
  ],
  appEnv: [{}, { option: true }],
  ctx: async ({ appEnv }, use) => {
    const ctx = tempContext(appEnv)
    await use(ctx)
    ctx.dispose()
  },
  // eslint-disable-next-line no-empty-pattern
  pageErrors: async ({}, use) => {
    const errors: string[] = []
    await use(errors)
    expect(errors, 'errors in the page').toEqual([])
  },
  open: async ({ page, ctx, renderer, pageErrors }, use) => {
    let detach: (() => void) | undefined
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text())
    })
    await use(async () => {
      detach = await openApp(page, ctx, renderer.origin)
    })
    detach?.()
  },
})

export { expect }
