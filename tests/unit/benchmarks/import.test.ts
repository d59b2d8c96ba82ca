import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runImport } from '../../../src/main/benchmarks/import'
import { canonicalJson } from '../../../src/main/benchmarks/normalize'
import { getBenchmark, instancesPage, listBenchmarks } from '../../../src/main/benchmarks/queries'
import { loadResources } from '../../../src/main/benchmarks/resources'
import type { TempContext } from '../../support/context'
import { FIXTURES, benchCtx, snapshot } from './helpers'

let ctx: TempContext
beforeEach(() => {
  ctx = benchCtx()
})
afterEach(() => ctx.dispose())

const CSV_MAP = {
  input: 'question',
  reference: 'answer',
  id: 'case_id',
  choices: 'option_a|option_b|option_c',
  metadata: 'ward',
}

/** The documented hash: sha256 over canonical JSON lines [id, split, input, choices, references, metadata]. */
function expectedHash(file: string): string {
  const h = createHash('sha256')
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const i = JSON.parse(line) as {
      id: string
      input: string
      choices?: string[]
      references: string[]
      split?: string
      metadata?: object
    }
    h.update(
      canonicalJson([i.id, i.split ?? 'test', i.input, i.choices ?? null, i.references, i.metadata ?? {}]) +
        '\n',
    )
  }
  return h.digest('hex')
}

describe('importing a pack', () => {
  it('stores benchmark, version and every instance, and records the sha256 of the normalized instances', async () => {
    const r = await runImport(ctx, { format: 'pack', path: join(FIXTURES, 'triage-pack') })
    expect(r).toMatchObject({
      benchmarkId: 'ward_triage',
      version: '2024.1',
      instanceCount: 3,
      alreadyImported: false,
    })
    expect(r.contentHash).toBe(expectedHash(join(FIXTURES, 'triage-pack', 'instances.jsonl')))
    const [b] = listBenchmarks(ctx.db, loadResources(ctx.resourcesDir))
    expect(b).toMatchObject({
      id: 'ward_triage',
      categoryId: 'clinical_decision_support',
      subcategoryId: 'supporting_diagnostic_decisions',
      subcategoryName: 'Supporting Diagnostic Decisions',
      taskType: 'multiple_choice',
      access: 'private',
      sample: false,
      latest: {
        version: '2024.1',
        instanceCount: 3,
        sourceFormat: 'pack',
        sourceName: 'triage-pack',
        contentHash: r.contentHash,
      },
    })
    const page = instancesPage(ctx.db, { benchmarkId: 'ward_triage', offset: 1, limit: 1 })
    expect(page.total).toBe(3)
    expect(page.rows).toEqual([
      {
        ordinal: 1,
        id: 't2',
        split: 'test',
        input:
          'A 24-year-old woman has a sprained ankle, walking with a limp.\nShe rates the pain 3/10. Which triage level?',
        choices: ['Immediate', 'Urgent', 'Routine'],
        references: ['C'],
        metadata: { ward: 'ED' },
      },
    ])
    expect(getBenchmark(ctx.db, loadResources(ctx.resourcesDir), 'ward_triage').manifest).toMatchObject({
      prompt: { maxTokens: 1, stop: ['\n'] },
    })
  })

  it('the same instances give the same hash whatever the format: a CSV mapped to the pack’s fields hashes like the pack', async () => {
    const pack = await runImport(ctx, { format: 'pack', path: join(FIXTURES, 'triage-pack') })
    const csv = await runImport(ctx, {
      format: 'csv',
      path: join(FIXTURES, 'triage.csv'),
      benchmarkId: 'triage_csv',
      map: CSV_MAP,
      settings: { subcategory: 'supporting_diagnostic_decisions', taskType: 'multiple_choice' },
    })
    expect(csv.instanceCount).toBe(3)
    expect(csv.contentHash).toBe(pack.contentHash)
  })

  it('re-importing the same version with the same content writes nothing; different content is refused', async () => {
    await runImport(ctx, { format: 'pack', path: join(FIXTURES, 'triage-pack') })
    const before = snapshot(ctx.db)
    const again = await runImport(ctx, { format: 'pack', path: join(FIXTURES, 'triage-pack') })
    expect(again.alreadyImported).toBe(true)
    expect(snapshot(ctx.db)).toEqual(before)
    await expect(
      runImport(ctx, {
        format: 'csv',
        path: join(FIXTURES, 'triage.tsv'),
        benchmarkId: 'ward_triage',
        map: CSV_MAP,
        settings: { subcategory: 'supporting_diagnostic_decisions', version: '2024.1' },
      }),
    ).rejects.toThrow()
    const conflict = await runImport(ctx, {
      format: 'tsv',
      path: join(FIXTURES, 'triage.tsv'),
      benchmarkId: 'ward_triage',
      map: CSV_MAP,
      settings: { subcategory: 'supporting_diagnostic_decisions', version: '2024.1' },
    }).catch((e: Error) => e)
    expect(conflict).toMatchObject({ code: 'conflict' })
    expect((conflict as Error).message).toMatch(/version "2024.1" is already imported with different content/)
    expect(snapshot(ctx.db)).toEqual(before)
    const v2 = await runImport(ctx, {
      format: 'tsv',
      path: join(FIXTURES, 'triage.tsv'),
      benchmarkId: 'ward_triage',
      map: CSV_MAP,
      settings: { subcategory: 'supporting_diagnostic_decisions', version: '2024.2' },
    })
    expect(v2.alreadyImported).toBe(false)
    const detail = getBenchmark(ctx.db, loadResources(ctx.resourcesDir), 'ward_triage')
    expect(detail.versions.map((v) => v.version)).toEqual(['2024.2', '2024.1'])
    expect(detail.latest.version).toBe('2024.2')
  })
})

describe('the generic importer', () => {
  it('CSV: maps columns, converts an option text reference to its letter, keeps metadata, names ids', async () => {
    const r = await runImport(ctx, {
      format: 'csv',
      path: join(FIXTURES, 'triage.csv'),
      map: CSV_MAP,
      settings: { subcategory: 'Supporting Diagnostic Decisions' },
    })
    expect(r).toMatchObject({ benchmarkId: 'triage', name: 'triage', version: '1', instanceCount: 3 })
    const b = getBenchmark(ctx.db, loadResources(ctx.resourcesDir), 'triage')
    expect(b).toMatchObject({
      taskType: 'multiple_choice',
      access: 'private',
      subcategoryId: 'supporting_diagnostic_decisions',
    })
    expect(b.manifest).toMatchObject({
      metrics: [{ name: 'exact_match', main: true }],
      source: { name: 'triage.csv' },
    })
    const rows = instancesPage(ctx.db, { benchmarkId: 'triage', offset: 0, limit: 10 }).rows
    expect(rows.map((x) => [x.id, x.references, x.metadata])).toEqual([
      ['t1', ['A'], { ward: 'ED' }],
      ['t2', ['C'], { ward: 'ED' }],
      ['t3', ['A'], { ward: 'Geriatrics' }],
    ])
  })

  it('JSONL: streams records, joins input fields with "+", keeps unmapped fields as metadata, numbers rows without an id column', async () => {
    const r = await runImport(ctx, {
      format: 'jsonl',
      path: join(FIXTURES, 'discharge.jsonl'),
      map: { input: 'note', reference: 'summary' },
      settings: { subcategory: 'documenting_patient_visits', name: 'Discharge summaries' },
    })
    expect(r).toMatchObject({ benchmarkId: 'discharge', instanceCount: 2 })
    const b = getBenchmark(ctx.db, loadResources(ctx.resourcesDir), 'discharge')
    expect(b.taskType).toBe('open_ended')
    expect(b.manifest).toMatchObject({
      metrics: [{ name: 'jury', main: true }, { name: 'rouge_l' }],
      jury: { criteria: expect.any(Array) },
    })
    const rows = instancesPage(ctx.db, { benchmarkId: 'discharge', offset: 0, limit: 10 }).rows
    // 'id' is guessed from the column name; 'unit' lands in metadata.
    expect(rows.map((x) => [x.id, x.metadata])).toEqual([
      ['d1', { unit: 'medicine' }],
      ['d2', { unit: 'orthopaedics' }],
    ])
  })

  it('--catalog / a catalog benchmark id takes placement, task type, metric and prompt from MedHELM’s catalog', async () => {
    const r = await runImport(ctx, {
      format: 'jsonl',
      path: join(FIXTURES, 'discharge.jsonl'),
      benchmarkId: 'mimic_bhc',
      map: { input: 'note', reference: 'summary' },
    })
    expect(r.benchmarkId).toBe('mimic_bhc')
    const b = getBenchmark(ctx.db, loadResources(ctx.resourcesDir), 'mimic_bhc')
    expect(b).toMatchObject({
      name: 'MIMIC-IV-BHC',
      subcategoryId: 'documenting_patient_visits',
      access: 'gated',
      catalogId: 'mimic_bhc',
    })
  })

  it('streams a file larger than one read chunk, with multi-byte characters split across chunk boundaries', async () => {
    const { writeFileSync } = await import('node:fs')
    // Rows of "é" (2 bytes) and "→" (3 bytes) so that some character straddles each 1 MiB chunk edge.
    const rows = Array.from(
      { length: 9000 },
      (_, i) => `r${i},"${'é→'.repeat(40 + (i % 7))} line ${i}",ref ${i}`,
    )
    const file = join(ctx.dir, 'multibyte.csv')
    writeFileSync(file, `\uFEFFid,question,answer\n${rows.join('\n')}\n`)
    const r = await runImport(ctx, {
      format: 'csv',
      path: file,
      settings: { subcategory: 'planning_treatments' },
    })
    expect(r.instanceCount).toBe(9000)
    const last = instancesPage(ctx.db, { benchmarkId: 'multibyte', offset: 8999, limit: 1 }).rows[0]!
    expect(last).toMatchObject({
      id: 'r8999',
      input: `${'é→'.repeat(40 + (8999 % 7))} line 8999`,
      references: ['ref 8999'],
    })
  })

  it('emits job:progress events that end in done', async () => {
    const events: { state: string; done: number; total: number | null }[] = []
    ctx.events.on((channel, p) => {
      if (channel === 'job:progress') events.push(p as (typeof events)[number])
    })
    await runImport(ctx, { format: 'pack', path: join(FIXTURES, 'triage-pack') }, { jobId: 'job-1' })
    const last = events.at(-1)!
    expect(last).toMatchObject({ jobId: 'job-1', kind: 'import', state: 'done', unit: 'bytes' })
    expect(last.done).toBe(last.total)
    expect(last).toHaveProperty('message', 'Imported 3 instances into ward_triage')
  })

  it('formats no number for a locale when nobody follows the job (a CLI import: ICU loads on first use)', async () => {
    const format = vi.spyOn(Number.prototype, 'toLocaleString')
    try {
      const r = await runImport(ctx, { format: 'pack', path: join(FIXTURES, 'triage-pack') })
      expect(r.instanceCount).toBe(3)
      expect(format).not.toHaveBeenCalled()
    } finally {
      format.mockRestore()
    }
  })
})
