import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { exportsDir } from '../../../src/main/app/save-targets'
import type { JobProgress } from '../../../src/shared/api/app'
import type { ExportOutcome } from '../../../src/shared/api/export'
import { tempContext, type TempContext } from '../../support/context'
import { APP_SENDER, callThrough, routerFor } from '../../support/router'
import { seedScoredRun } from '../../support/scored-run'

let ctx: TempContext
beforeEach(() => {
  ctx = tempContext()
  seedScoredRun(ctx.db, { instances: 1200, models: 2 })
})
afterEach(() => ctx.dispose())

describe('export channels', () => {
  it('export:instances writes into the exports folder, reports progress under the job id, and says how many records', async () => {
    const events: JobProgress[] = []
    ctx.events.on((channel, payload) => {
      if (channel === 'job:progress') events.push(payload as JobProgress)
    })
    const r = await callThrough<ExportOutcome>(routerFor(ctx), 'export:instances', {
      runId: 1,
      format: 'csv',
      jobId: 'job-1',
    })
    expect(r.records).toBe(2400)
    expect(r.file.startsWith(exportsDir(ctx.dataDir))).toBe(true)
    expect(r.file).toMatch(/run-1-results-.*\.csv$/)
    expect(readFileSync(r.file, 'utf8').trim().split('\n')).toHaveLength(2401)
    expect(events.filter((e) => e.jobId === 'job-1').map((e) => e.done)).toEqual([1000, 2000, 2400])
    expect(events.at(-1)).toMatchObject({ kind: 'export', state: 'done', total: 2400, unit: 'records' })
  })

  it('refuses a file the user did not choose in the save dialog (outside exports/)', async () => {
    const router = routerFor(ctx)
    const file = join(ctx.dir, 'elsewhere.csv')
    const res = await router.invoke('export:instances', { runId: 1, format: 'csv', file }, APP_SENDER)
    expect(res.ok).toBe(false)
    if (!res.ok) expect(res.error.code).toBe('forbidden')
    expect(existsSync(file)).toBe(false)
    const text = await router.invoke(
      'export:instances',
      { runId: 1, format: 'csv', includeText: true },
      APP_SENDER,
    )
    expect(text.ok).toBe(false)
    if (!text.ok) expect(text.error.message).toContain('may contain patient data')
    const bad = await router.invoke('export:leaderboard', { query: {}, format: 'xlsx' }, APP_SENDER)
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.code).toBe('invalid_input')
    expect(readdirSync(exportsDir(ctx.dataDir)).filter((f) => f.endsWith('.partial'))).toEqual([])
  })
})
