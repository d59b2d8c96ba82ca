import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Envelope } from '../../../src/shared/api/envelope'
import { createAppContext } from '../../../src/main/app/context'
import { benchmarksHandlers } from '../../../src/main/benchmarks/handlers'
import type { TempContext } from '../../support/context'
import { APP_SENDER, callThrough, routerFor } from '../../support/router'
import { FIXTURES, benchCtx } from './helpers'

const sender = APP_SENDER

let ctx: TempContext
beforeEach(() => {
  ctx = benchCtx()
})
afterEach(() => ctx.dispose())

const router = () => routerFor(ctx)
const call = <T>(channel: string, input?: unknown) => callThrough<T>(router(), channel, input)

describe('benchmarks API through the router', () => {
  it('formats lists the pack, the generic tables and the published importers', async () => {
    const formats = await call<{ format: string; kind: string }[]>('benchmarks:formats')
    expect(formats.slice(0, 4)).toEqual([
      expect.objectContaining({ format: 'pack', kind: 'pack' }),
      expect.objectContaining({ format: 'csv', kind: 'tabular' }),
      expect.objectContaining({ format: 'tsv', kind: 'tabular' }),
      expect.objectContaining({ format: 'jsonl', kind: 'tabular' }),
    ])
    expect(formats.slice(4).every((f) => f.kind === 'published')).toBe(true)
  })

  it('preview of a CSV: detected columns, first rows, the guessed mapping, instances as stored, issues by line', async () => {
    const p = await call<{
      columns: string[]
      rows: Record<string, string>[]
      map: Record<string, string>
      instances: { id: string; references: string[] }[]
      issues: unknown[]
      manifest: { taskType: string } | null
    }>('benchmarks:preview', {
      format: 'csv',
      path: join(FIXTURES, 'triage.csv'),
      map: { input: 'question', id: 'case_id', choices: 'option_a|option_b|option_c' },
      settings: { subcategory: 'supporting_diagnostic_decisions' },
    })
    expect(p.columns).toEqual(['case_id', 'question', 'option_a', 'option_b', 'option_c', 'answer', 'ward'])
    expect(p.rows).toHaveLength(3)
    expect(p.rows[1]!.question).toMatch(/\nShe rates the pain/)
    expect(p.map).toEqual({
      input: 'question',
      reference: 'answer',
      id: 'case_id',
      choices: 'option_a|option_b|option_c',
      metadata: 'ward',
    })
    expect(p.instances.map((i) => [i.id, i.references])).toEqual([
      ['t1', ['A']],
      ['t2', ['C']],
      ['t3', ['A']],
    ])
    expect(p.manifest?.taskType).toBe('multiple_choice')
    expect(p.issues).toEqual([])
  })

  it('preview reports problems by line instead of failing', async () => {
    const p = await call<{ issues: { line: number | null; field: string; message: string }[] }>(
      'benchmarks:preview',
      {
        format: 'csv',
        path: join(FIXTURES, 'triage.csv'),
        map: { input: 'question', reference: 'ward', choices: 'option_a|option_b|option_c' },
        settings: { subcategory: 'supporting_diagnostic_decisions' },
      },
    )
    expect(p.issues).toEqual([
      { line: 2, field: 'reference answer 1', message: '"ED" is not an option letter A–C' },
      { line: 3, field: 'reference answer 1', message: '"ED" is not an option letter A–C' },
      { line: 5, field: 'reference answer 1', message: '"Geriatrics" is not an option letter A–C' },
    ])
  })

  it('preview of a pack shows its manifest and first instances', async () => {
    const p = await call<{ kind: string; manifest: { id: string }; instances: unknown[] }>(
      'benchmarks:preview',
      {
        format: 'pack',
        path: join(FIXTURES, 'triage-pack'),
      },
    )
    expect(p).toMatchObject({ kind: 'pack', manifest: { id: 'ward_triage' } })
    expect(p.instances).toHaveLength(3)
  })

  it('import reports progress as job:progress events and returns id, count and hash; list, get and instances follow', async () => {
    const events: { jobId: string; state: string }[] = []
    ctx.events.on((c, p) => c === 'job:progress' && events.push(p as (typeof events)[number]))
    const r = await call<{ benchmarkId: string; instanceCount: number; contentHash: string }>(
      'benchmarks:import',
      {
        jobId: 'wizard-1',
        format: 'jsonl',
        path: join(FIXTURES, 'discharge.jsonl'),
        map: { input: 'note', reference: 'summary' },
        settings: { subcategory: 'documenting_patient_visits' },
      },
    )
    expect(r).toMatchObject({ benchmarkId: 'discharge', instanceCount: 2 })
    expect(events.at(-1)).toMatchObject({ jobId: 'wizard-1', state: 'done' })
    const list = await call<{ id: string }[]>('benchmarks:list')
    expect(list.map((b) => b.id)).toEqual(['discharge'])
    const page = await call<{ total: number; rows: { id: string }[] }>('benchmarks:instances', {
      benchmarkId: 'discharge',
      search: 'KNEE',
    })
    expect(page.total).toBe(1)
    expect(page.rows.map((x) => x.id)).toEqual(['d2'])
    const detail = await call<{ versions: unknown[] }>('benchmarks:get', { id: 'discharge' })
    expect(detail.versions).toHaveLength(1)
  })

  it('a failed import comes back as bad_data with issues, and a failed job:progress event', async () => {
    const events: { state: string; message: string | null }[] = []
    ctx.events.on((c, p) => c === 'job:progress' && events.push(p as (typeof events)[number]))
    const env = await router().invoke(
      'benchmarks:import',
      {
        jobId: 'j',
        format: 'csv',
        path: join(FIXTURES, 'triage.tsv'),
        settings: { subcategory: 'planning_treatments' },
      },
      sender,
    )
    expect(env).toMatchObject({
      ok: false,
      error: { code: 'bad_data', issues: [{ path: ['triage.tsv', 1] }] },
    })
    expect(events.at(-1)).toMatchObject({
      state: 'failed',
      message: expect.stringMatching(/wrong delimiter/),
    })
  })

  it('instances paging rejects a limit over 500 at the contract', async () => {
    const env = await router().invoke('benchmarks:instances', { benchmarkId: 'x', limit: 1000 }, sender)
    expect(env).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('pick-file: unavailable without an injected chooser; the chooser’s answer when one is injected', async () => {
    expect(await call('benchmarks:pick-file', {})).toEqual({ available: false, path: null })
    const asked: boolean[] = []
    const handlers = benchmarksHandlers(ctx, {
      pickFile: async ({ directory }) => {
        asked.push(directory)
        return '/data/extract.csv'
      },
    })
    expect(await handlers['benchmarks:pick-file']({ directory: false, probe: true })).toEqual({
      available: true,
      path: null,
    })
    expect(asked).toEqual([])
    expect(await handlers['benchmarks:pick-file']({ directory: true, probe: false })).toEqual({
      available: true,
      path: '/data/extract.csv',
    })
    expect(asked).toEqual([true])
  })

  it('task edits through the API never touch the shipped taxonomy file', async () => {
    const t = await call<{ id: string; origin: string }>('taxonomy:add-task', {
      subcategoryId: 'planning_treatments',
      name: 'Reconcile medications',
    })
    expect(t).toMatchObject({ id: 'local_reconcile_medications', origin: 'local' })
    await call('taxonomy:map-task', { taskId: t.id, benchmarkId: 'medec', mapped: true })
    const moved = await call<{ id: string }>('taxonomy:update-task', {
      taskId: t.id,
      subcategoryId: 'recording_procedures',
      name: 'Reconcile meds',
    })
    expect(moved.id).toBe(t.id)
    const view = await call<{
      categories: {
        subcategories: {
          id: string
          tasks: { id: string; name: string; benchmarkIds: string[]; covered: boolean }[]
        }[]
      }[]
    }>('taxonomy:get')
    const rp = view.categories.flatMap((c) => c.subcategories).find((s) => s.id === 'recording_procedures')!
    expect(rp.tasks).toEqual([
      expect.objectContaining({ id: t.id, name: 'Reconcile meds', benchmarkIds: ['medec'], covered: false }),
    ])
    const env = await router().invoke(
      'taxonomy:map-task',
      { taskId: t.id, benchmarkId: 'nope', mapped: true },
      sender,
    )
    expect(env).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })
})

describe('bundled samples on first open', () => {
  it('a new database shows the samples at once; seeding happens once and is recorded in settings', async () => {
    const s = benchCtx({ samples: true })
    try {
      const r = routerFor(s)
      // The renderer asks for the taxonomy and the list at the same time on start.
      const [tax, list] = (await Promise.all([
        r.invoke('taxonomy:get', undefined, sender),
        r.invoke('benchmarks:list', undefined, sender),
      ])) as [
        Envelope<{ totals: { coveredSubcategories: number; instances: number } }>,
        Envelope<{ id: string; sample: boolean }[]>,
      ]
      if (!tax.ok || !list.ok) throw new Error('call failed')
      expect(list.value).toHaveLength(5)
      expect(tax.value.totals.coveredSubcategories).toBe(5)
      expect(tax.value.totals.instances).toBe(140)
      const setting = s.db
        .prepare("SELECT value FROM settings WHERE key = 'benchmarks.samples_seeded'")
        .get() as { value: string }
      expect(JSON.parse(setting.value)).toMatchObject({
        seeded: ['aci_bench', 'medcalc_bench', 'medec', 'medhallu', 'pubmed_qa'],
      })
      // Deleted samples stay deleted on the next open.
      await r.invoke('benchmarks:delete', { id: 'pubmed_qa' }, sender)
      const next = createAppContext({ dbPath: s.dbPath, env: {} })
      try {
        const again = routerFor(next)
        const list2 = (await again.invoke('benchmarks:list', undefined, sender)) as Envelope<{ id: string }[]>
        expect(list2.ok && list2.value.map((b) => b.id)).toEqual([
          'aci_bench',
          'medcalc_bench',
          'medec',
          'medhallu',
        ])
        const restored = (await again.invoke('benchmarks:restore-samples', undefined, sender)) as Envelope<{
          restored: string[]
        }>
        expect(restored).toEqual({ ok: true, value: { restored: ['pubmed_qa'] } })
      } finally {
        next.close()
      }
    } finally {
      s.dispose()
    }
  })

  it('a database that already holds the user’s benchmarks is not seeded', async () => {
    const s = benchCtx()
    try {
      const r = routerFor(s)
      await r.invoke(
        'benchmarks:import',
        { jobId: 'j', format: 'pack', path: join(FIXTURES, 'triage-pack') },
        sender,
      )
      // The next start of the app: a new context over the same database, samples on.
      const next = createAppContext({ dbPath: s.dbPath, env: {} })
      try {
        const r2 = routerFor(next)
        const list = (await r2.invoke('benchmarks:list', undefined, sender)) as Envelope<{ id: string }[]>
        expect(list.ok && list.value.map((b) => b.id)).toEqual(['ward_triage'])
        const setting = next.db
          .prepare("SELECT value FROM settings WHERE key = 'benchmarks.samples_seeded'")
          .get() as { value: string }
        expect(JSON.parse(setting.value)).toMatchObject({
          seeded: [],
          skipped: 'the database already held benchmarks',
        })
      } finally {
        next.close()
      }
    } finally {
      s.dispose()
    }
  })
})
