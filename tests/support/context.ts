import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAppContext, type AppContext } from '../../src/main/app/context'

export interface TempContext extends AppContext {
  dir: string
  dispose(): void
}

/** A fresh AppContext over a new database file in a temp folder. */
export function tempContext(env: NodeJS.ProcessEnv = {}): TempContext {
  const dir = mkdtempSync(join(tmpdir(), 'wardeval-test-'))
  const ctx = createAppContext({ dbPath: join(dir, 'wardeval.db'), env: { ...env } })
  return Object.assign(ctx, {
    dir,
    dispose() {
      ctx.close()
      rmSync(dir, { recursive: true, force: true })
    },
  })
}
