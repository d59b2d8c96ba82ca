import { readdirSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { anchorDue, DAY_MS, startAnchoring } from '../../../src/main/audit/anchoring'
import { anchorsDir, anchorsOf, writeAnchor } from '../../../src/main/audit/anchors'
import { appendAudit } from '../../../src/main/audit/log'
import { tempContext, type TempContext } from '../../support/context'

let ctx: TempContext
beforeEach(() => {
  ctx = tempContext()
})
afterEach(() => {
  vi.useRealTimers()
  ctx.dispose()
})

const row = () => appendAudit(ctx.db, { kind: 'policy', actor: 'tester', outcome: 'test' })

describe('when anchors are written', () => {
  it('is due when the log has rows and the newest anchor is a day old (or there is none)', () => {
    expect(anchorDue(ctx)).toBe(false) // empty log
    row()
    expect(anchorDue(ctx)).toBe(true)
    const a = writeAnchor(ctx, { reason: 'manual' })
    const at = Date.parse(a.at)
    expect(anchorDue(ctx, at + DAY_MS - 1)).toBe(false)
    expect(anchorDue(ctx, at + DAY_MS)).toBe(true)
  })

  it('the app anchors at start when due, then daily while it runs', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'Date'] })
    row()
    const anchoring = startAnchoring(ctx, { background: true })
    try {
      expect(anchorsOf(ctx).map((x) => x.anchor.reason)).toEqual(['startup'])
      row()
      vi.advanceTimersByTime(DAY_MS - 60_000)
      expect(anchorsOf(ctx)).toHaveLength(1)
      vi.advanceTimersByTime(120_000)
      expect(anchorsOf(ctx).map((x) => x.anchor.reason)).toEqual(['startup', 'daily'])
    } finally {
      anchoring.stop()
    }
  })

  it('the end of a run or a scoring pass writes an anchor; progress while running does not', () => {
    row()
    const errors: string[] = []
    const anchoring = startAnchoring(ctx, { onError: (m) => errors.push(m) })
    try {
      const progress = {
        counts: { total: 1, done: 1, failed: 0, pending: 0, cached: 0, requestsSent: 1 },
        groups: [],
        rate: 0,
        etaSeconds: null,
        errors: 0,
        lastError: null,
        at: new Date().toISOString(),
      }
      ctx.events.emit('runs:progress', { runId: 3, status: 'running', ...progress } as never)
      expect(readdirSync(ctx.dir)).not.toContain('anchors')
      ctx.events.emit('runs:progress', { runId: 3, status: 'completed', ...progress } as never)
      expect(anchorsOf(ctx).map((x) => [x.anchor.reason, x.anchor.runId])).toEqual([['run', 3]])
      ctx.events.emit('job:progress', {
        jobId: 'j',
        kind: 'import',
        label: 'x',
        done: 1,
        total: 1,
        unit: 'rows',
        state: 'done',
        message: null,
      })
      expect(readdirSync(anchorsDir(ctx.dataDir))).toHaveLength(1)
      expect(errors).toEqual([])
    } finally {
      anchoring.stop()
    }
  })
})
