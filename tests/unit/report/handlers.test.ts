import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportsDir } from '../../../src/main/app/save-targets'
import { verifySignedFile } from '../../../src/main/signing/files'
import { signerFor } from '../../../src/main/signing/installation'
import type { JobProgress } from '../../../src/shared/api/app'
import type { WrittenReport } from '../../../src/shared/api/report'
import { callThrough, routerFor } from '../../support/router'
import { useReportWorld } from './use-world'

/** report:export through the router, as the Leaderboard screen's Export report calls it. */

const world = useReportWorld()

describe('report:export', () => {
  it('writes a signed report of the selection into the exports folder, reporting progress', async () => {
    const progress: JobProgress[] = []
    world.ctx.events.on((channel, p) => {
      if (channel === 'job:progress' && (p as JobProgress).jobId === 'r1') progress.push(p as JobProgress)
    })
    const router = routerFor(world.ctx)
    const r = await callThrough<WrittenReport>(router, 'report:export', {
      format: 'html',
      runIds: [1],
      seed: 11,
      adjust: 'bh',
      jobId: 'r1',
    })
    expect(r.file.startsWith(exportsDir(world.ctx.dataDir))).toBe(true)
    expect(r).toMatchObject({ format: 'html', fingerprint: signerFor(world.ctx).fingerprint })
    expect(r.scope).toContain('runs 1; all categories')
    const v = verifySignedFile(r.file, [r.fingerprint])
    expect(v).toMatchObject({ ok: true, layout: 'embedded', contentSha256: r.contentSha256 })
    expect(progress.at(-1)).toMatchObject({ kind: 'report', state: 'done' })
    expect(progress.some((p) => p.state === 'running' && p.label === 'Computing intervals and tests')).toBe(
      true,
    )
  })

  it('refuses a file the user did not choose in the save dialog, writing nothing', async () => {
    const router = routerFor(world.ctx)
    const file = join(world.ctx.dir, 'elsewhere.html')
    await expect(callThrough(router, 'report:export', { format: 'html', file })).rejects.toThrow(/forbidden/)
    expect(existsSync(file)).toBe(false)
    await expect(
      callThrough(router, 'report:export', { format: 'html', includeExamples: 50 }),
    ).rejects.toThrow(/invalid_input/)
  })
})
