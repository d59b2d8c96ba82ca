import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { HELPER_AFTER_ROWS, runImport } from '../../../src/main/benchmarks/import'
import * as helperModule from '../../../src/main/db/checkpoint-helper'
import type { TempContext } from '../../support/context'
import { benchCtx, tempDir } from './helpers'

/**
 * A bulk import starts the checkpoint helper (src/main/db/checkpoint-helper.ts) once it has
 * written HELPER_AFTER_ROWS rows, stops it before it returns, and passes on a problem the helper
 * had as a warning without failing the import.
 */

vi.mock('../../../src/main/db/checkpoint-helper', async (importOriginal) => {
  const original = await importOriginal<typeof helperModule>()
  return { ...original, startCheckpointHelper: vi.fn(original.startCheckpointHelper) }
})
const start = vi.mocked(helperModule.startCheckpointHelper)

let startReal: typeof helperModule.startCheckpointHelper
let ctx: TempContext
let tmp: ReturnType<typeof tempDir>
beforeEach(async () => {
  startReal = (await vi.importActual<typeof helperModule>('../../../src/main/db/checkpoint-helper'))
    .startCheckpointHelper
  ctx = benchCtx()
  tmp = tempDir()
  start.mockClear()
})
afterEach(() => {
  ctx.dispose()
  tmp.dispose()
})

function csv(rows: number): string {
  const p = join(tmp.dir, `rows${rows}.csv`)
  const lines = ['id,question,answer']
  for (let i = 1; i <= rows; i++) lines.push(`r${i},Question ${i},answer ${i % 7}`)
  writeFileSync(p, lines.join('\n') + '\n')
  return p
}

const request = (path: string) => ({
  format: 'csv',
  path,
  settings: { subcategory: 'planning_treatments' },
})

describe('an import and the checkpoint helper', () => {
  it('a small import never starts it', async () => {
    const r = await runImport(ctx, request(csv(HELPER_AFTER_ROWS - 1)))
    expect(r.instanceCount).toBe(HELPER_AFTER_ROWS - 1)
    expect(start).not.toHaveBeenCalled()
  })

  it('a bulk import starts it once, on its database, and has stopped it when it returns', async () => {
    const stops: Promise<string | null>[] = []
    // The real helper, with its stop observed.
    start.mockImplementationOnce((script, db, options) => {
      const h = startReal(script, db, options)
      return h && { stop: () => (stops.push(h.stop()), stops.at(-1)!) }
    })
    const r = await runImport(ctx, request(csv(HELPER_AFTER_ROWS + 2500)))
    expect(r.instanceCount).toBe(HELPER_AFTER_ROWS + 2500)
    expect(start).toHaveBeenCalledTimes(1)
    expect(start.mock.calls[0]![0]).toBe(ctx.workers.checkpoints)
    expect(start.mock.calls[0]![1]).toMatchObject({ dbPath: ctx.dbPath })
    if (process.platform === 'linux') {
      expect(stops).toHaveLength(1)
      expect(await stops[0]).toBeNull()
    }
  })

  it("a helper's problem reaches the caller as a warning; the import still succeeds", async () => {
    start.mockImplementationOnce(() => ({
      stop: async () => 'the checkpoint helper stopped: disk I/O error',
    }))
    const warnings: string[] = []
    const r = await runImport(ctx, request(csv(HELPER_AFTER_ROWS)), { onWarning: (m) => warnings.push(m) })
    expect(r.instanceCount).toBe(HELPER_AFTER_ROWS)
    expect(warnings).toEqual(['the checkpoint helper stopped: disk I/O error'])
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM instances').get()).toEqual({ n: HELPER_AFTER_ROWS })
  })
})
