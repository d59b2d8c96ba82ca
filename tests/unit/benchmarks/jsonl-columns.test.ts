import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runImport } from '../../../src/main/benchmarks/import'
import { previewImport } from '../../../src/main/benchmarks/preview'
import { instancesPage } from '../../../src/main/benchmarks/queries'
import type { TempContext } from '../../support/context'
import { benchCtx } from './helpers'

/**
 * JSONL columns are taken from every record, not from the first 50 (issue 13, point 1): a field
 * that first appears at record 60 lands in metadata, and mapping it explicitly works.
 */

let ctx: TempContext
beforeEach(() => {
  ctx = benchCtx()
})
afterEach(() => ctx.dispose())

/** 100 records; record 60 (and later ones) carry `late` and `late_answer`. */
function lateFile(): string {
  const lines: string[] = []
  for (let i = 1; i <= 100; i++) {
    const rec: Record<string, unknown> = { id: `r${i}`, question: `Question ${i}?`, answer: `A${i}` }
    if (i >= 60) Object.assign(rec, { late: `ward ${i}`, late_answer: `L${i}` })
    lines.push(JSON.stringify(rec))
  }
  const file = join(ctx.dir, 'late.jsonl')
  writeFileSync(file, lines.join('\n') + '\n')
  return file
}

const settings = { subcategory: 'supporting_diagnostic_decisions', taskType: 'open_ended' }

function instance(ordinalId: string) {
  const page = instancesPage(ctx.db, { benchmarkId: 'late', offset: 0, limit: 500 })
  return page.rows.find((i) => i.id === ordinalId)!
}

describe('JSONL fields that first appear after record 50', () => {
  it('land in metadata (metadata defaults to every unmapped field)', async () => {
    const r = await runImport(ctx, { format: 'jsonl', path: lateFile(), settings })
    expect(r.instanceCount).toBe(100)
    expect(instance('r59').metadata).toEqual({})
    expect(instance('r60').metadata).toEqual({ late: 'ward 60', late_answer: 'L60' })
    expect(instance('r100').metadata).toEqual({ late: 'ward 100', late_answer: 'L100' })
  })

  it('can be mapped explicitly (as metadata, or as a field)', async () => {
    const file = lateFile()
    await runImport(ctx, {
      format: 'jsonl',
      path: file,
      map: { input: 'question', reference: 'answer', metadata: 'late' },
      settings,
    })
    expect(instance('r70').metadata).toEqual({ late: 'ward 70' })
    expect(instance('r10').metadata).toEqual({})

    const preview = await previewImport(ctx, {
      format: 'jsonl',
      path: file,
      map: { input: 'question', reference: 'late_answer' },
      settings,
    })
    // Accepted as a column; the first records (without it) are reported by line, not refused.
    expect(preview.columns).toContain('late_answer')
    expect(preview.issues[0]).toMatchObject({ line: 1, field: 'reference answers' })
  })

  it('a mapping naming a field no record has is still refused, listing every field', async () => {
    await expect(
      runImport(ctx, {
        format: 'jsonl',
        path: lateFile(),
        map: { input: 'question', reference: 'nowhere' },
        settings,
      }),
    ).rejects.toThrow(
      'late.jsonl line 1: no column "nowhere" in the file (chosen for the reference answer); the file\'s columns: "id", "question", "answer", "late", "late_answer"',
    )
  })
})
