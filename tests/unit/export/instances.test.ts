import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { readCsvRecords } from '../../../src/main/csv/read'
import { exportInstances } from '../../../src/main/export/exports'
import { instanceRecords, type InstanceRecord } from '../../../src/main/export/instances'
import { openSnapshot } from '../../../src/main/db/snapshot'
import { tempContext, type TempContext } from '../../support/context'
import { seedScoredRun } from '../../support/scored-run'

let ctx: TempContext
beforeEach(() => {
  ctx = tempContext()
})
afterEach(() => ctx.dispose())

const EVIL_MODEL = '=HYPERLINK("http://x")/m'
const EVIL_BENCH = '+cmd|calc'

describe('per-instance export', () => {
  it('CSV: one row per item, formulas neutralized in model and benchmark cells, failures as failures, read back by csv/read', async () => {
    seedScoredRun(ctx.db, {
      instances: 30,
      modelKeys: [EVIL_MODEL, '@ollama/b', '-ollama/c'],
      benchmarkId: EVIL_BENCH,
    })
    const file = join(ctx.dir, 'out.csv')
    const r = await exportInstances(ctx, { runId: 1, format: 'csv', file })
    expect(r.records).toBe(90)
    const text = readFileSync(file, 'utf8')
    expect(text).not.toMatch(/(^|,)[=+@-]/m) // no cell begins with a formula character
    expect(text).toContain(`"'=HYPERLINK(""http://x"")/m"`)
    expect(text).toContain("'+cmd|calc")
    const rows = readCsvRecords(file, 'out.csv')
    const header = rows[0]!.fields
    expect(rows).toHaveLength(91)
    const col = (name: string) => {
      const i = header.indexOf(name)
      expect(i, name).toBeGreaterThanOrEqual(0)
      return i
    }
    const data = rows.slice(1).map((x) => x.fields)
    expect(new Set(data.map((f) => f[col('model')]))).toEqual(
      new Set([`'${EVIL_MODEL}`, "'@ollama/b", "'-ollama/c"]),
    )
    // Every 50th item: the generation failed — status failed, its error, no hash, no score.
    const failed = data.filter((f) => f[col('generation_status')] === 'failed')
    expect(failed).toHaveLength(1)
    expect(failed[0]![col('generation_error')]).toBe('timeout after 3 attempts')
    expect(failed[0]![col('response_sha256')]).toBe('')
    expect(failed[0]![col('metric[jury]')]).toBe('')
    expect(failed[0]![col('metric[jury].status')]).toBe('none')
    // Every 7th item: judge-c's accuracy vote failed — reason, never a score.
    const v = 'vote[ollama/judge-c][accuracy]'
    const badVotes = data.filter((f) => f[col(`${v}.status`)] === 'failed')
    expect(badVotes.length).toBe(12)
    for (const f of badVotes) {
      expect(f[col(v)]).toBe('')
      expect(f[col(`${v}.reason`)]).toBe('No usable answer after 3 attempts')
    }
    const ok = data.find((f) => f[col('generation_status')] === 'done')!
    expect(ok[col('response_sha256')]).toMatch(/^[0-9a-f]{64}$/)
    expect(Number(ok[col('metric[jury]')])).toBeGreaterThanOrEqual(1)
    expect(ok[col('metric[jury].status')]).toBe('ok')
    expect(header).not.toContain('response') // no text by default
    expect(text).not.toContain('continue the current medication')
  })

  it('JSONL: one JSON object per line, line count = records; text only with includeText and confirmation', async () => {
    seedScoredRun(ctx.db, { instances: 40, models: 2 })
    const file = join(ctx.dir, 'out.jsonl')
    const r = await exportInstances(ctx, { runId: 1, format: 'jsonl', file })
    const lines = readFileSync(file, 'utf8').split('\n')
    expect(lines.pop()).toBe('')
    expect(lines).toHaveLength(80)
    expect(r.records).toBe(80)
    const recs = lines.map((l) => JSON.parse(l) as InstanceRecord)
    expect(
      recs
        .filter((x) => x.status === 'failed')
        .every((x) => x.responseSha256 === null && Object.keys(x.metrics).length === 0),
    ).toBe(true)
    expect(recs[0]!.votes).toHaveLength(9)
    expect(recs[0]).not.toHaveProperty('response')

    const withText = join(ctx.dir, 'text.jsonl')
    await expect(
      exportInstances(ctx, { runId: 1, format: 'jsonl', file: withText, includeText: true }),
    ).rejects.toThrow(/confirmation: Prompts and responses may contain patient data/)
    await exportInstances(ctx, {
      runId: 1,
      format: 'jsonl',
      file: withText,
      includeText: true,
      confirmed: true,
    })
    const first = JSON.parse(readFileSync(withText, 'utf8').split('\n')[0]!) as InstanceRecord
    expect(first.response).toContain('continue the current medication')
    expect(first.prompt).toBe('Summarize the note.')
    const audit = ctx.db.prepare("SELECT outcome, detail FROM audit_log WHERE kind = 'approval'").all() as {
      outcome: string
    }[]
    expect(audit.map((a) => a.outcome)).toContain('instance_results_exported_with_text')
  })

  it('an unknown run is refused naming --run, and nothing is written', async () => {
    const file = join(ctx.dir, 'none.csv')
    await expect(exportInstances(ctx, { runId: 9, format: 'csv', file })).rejects.toThrow(
      /--run: there is no run 9/,
    )
    expect(() => readFileSync(file)).toThrow()
  })

  it('streams: records come a page at a time, without reading the whole run first', async () => {
    seedScoredRun(ctx.db, { instances: 5000 })
    const prepare = vi.spyOn(ctx.db, 'prepare')
    const it = instanceRecords(ctx.db, 1, { pageSize: 100 })
    const first = await it.next()
    const stmt = prepare.mock.results[0]!.value as { iterate: (...a: unknown[]) => unknown }
    prepare.mockRestore()
    const iterate = vi.spyOn(stmt, 'iterate')
    expect(first.value).toMatchObject({ instanceId: 'case-0' })
    let n = 1
    for (let r = await it.next(); !r.done; r = await it.next()) {
      n++
      // Pages are read as records are consumed: never more than one page ahead.
      expect(iterate.mock.calls.length).toBeLessThanOrEqual(Math.ceil(n / 100))
    }
    expect(n).toBe(5000)
    expect(iterate.mock.calls.length).toBe(50) // pages 2..50 after the spy, and the empty page that ends it
  })

  it('reads one consistent snapshot: a scoring pass committing mid-export changes nothing in it', async () => {
    seedScoredRun(ctx.db, { instances: 300 })
    const snap = openSnapshot(ctx)
    try {
      const it = instanceRecords(snap.db, 1, { pageSize: 100 })
      const first = await it.next()
      expect(first.done).toBe(false)
      // Meanwhile, on the app's own connection (not blocked by the export):
      ctx.db.prepare("UPDATE run_items SET error = 'changed later' WHERE run_id = 1").run()
      ctx.db.prepare('DELETE FROM scores').run()
      const rest: InstanceRecord[] = []
      for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value)
      expect(rest).toHaveLength(299)
      expect(rest.some((r) => r.error === 'changed later')).toBe(false)
      expect(rest.filter((r) => r.status === 'done').every((r) => r.metrics.jury?.status === 'ok')).toBe(true)
    } finally {
      snap.close()
    }
    expect(ctx.db.prepare('SELECT COUNT(*) FROM scores').pluck().get()).toBe(0)
  })
})
