import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BlindItem,
  reviewContract,
  type ReviewAgreement,
  type ReviewSetSummary,
} from '../../../src/shared/api/review'
import { tempContext, type TempContext } from '../../support/context'
import type { FakeOllama } from '../../support/fake-ollama'
import { callThrough, routerFor } from '../../support/router'
import type { Router } from '../../../src/main/ipc/router'
import { count } from '../runs/helpers'
import { BENCHMARK, JUDGE_KEYS, JUDGES, RUN_MODEL_KEYS, RUN_MODELS, scoredRun, startFake } from './helpers'

/**
 * The review flow through the real router and handlers, over a real run of two models scored by a
 * three-judge jury on the loopback fake server: sets, blind rating, resume, agreement, unblinding.
 */

let ctx: TempContext
let fake: FakeOllama
let router: Router
let runId: number

const call = <T>(channel: string, input?: unknown) => callThrough<T>(router, channel, input)

beforeAll(async () => {
  fake = await startFake()
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  runId = await scoredRun(ctx, ctx.dir, 12)
  router = routerFor(ctx)
}, 60_000)
afterAll(async () => {
  ctx.dispose()
  await fake.close()
})

const allScores = (s: number) => ({ accuracy: s, completeness: s, clarity: s })

describe('review sets', () => {
  it('samples the same stratified set for the same arguments, and refuses what cannot be reviewed', async () => {
    const set = await call<ReviewSetSummary>('review:create-set', {
      runId,
      benchmarkId: BENCHMARK,
      size: 9,
      seed: 4,
    })
    expect(set).toMatchObject({ runId, benchmarkId: BENCHMARK, size: 9, seed: 4, models: 2, progress: [] })
    expect(set.criteria.map((c) => c.id)).toEqual(['accuracy', 'completeness', 'clarity'])
    const again = await call<ReviewSetSummary>('review:create-set', {
      runId,
      benchmarkId: BENCHMARK,
      size: 9,
      seed: 4,
    })
    const items = (id: number) =>
      ctx.db
        .prepare('SELECT run_item_id FROM review_set_items WHERE set_id = ? ORDER BY ordinal')
        .pluck()
        .all(id)
    expect(items(again.id)).toEqual(items(set.id))
    const perModel = ctx.db
      .prepare(
        `SELECT ri.model_key AS m, COUNT(*) AS n FROM review_set_items si JOIN run_items ri ON ri.id = si.run_item_id
         WHERE si.set_id = ? GROUP BY ri.model_key ORDER BY m`,
      )
      .all(set.id) as { m: string; n: number }[]
    expect(perModel.map((r) => r.n).sort()).toEqual([4, 5])

    await expect(call('review:create-set', { runId, benchmarkId: BENCHMARK, size: 25 })).rejects.toThrow(
      /invalid_input: size: 25 exceeds the 24 completed, non-empty outputs of run \d+ on patient_msgs; choose at most 24/,
    )
    await expect(call('review:create-set', { runId, benchmarkId: 'nope', size: 2 })).rejects.toThrow(
      /not_found: benchmark: run \d+ has no benchmark "nope" \(it has patient_msgs\)/,
    )
    await expect(call('review:create-set', { runId: 999, benchmarkId: BENCHMARK, size: 2 })).rejects.toThrow(
      /not_found: run: there is no run 999/,
    )
    const candidates =
      await call<{ runId: number; benchmarks: { eligibleItems: number; models: number }[] }[]>(
        'review:candidates',
      )
    expect(candidates).toEqual([
      expect.objectContaining({
        runId,
        benchmarks: [expect.objectContaining({ eligibleItems: 24, models: 2 })],
      }),
    ])
  })
})

describe('blind rating', () => {
  it('the contract’s blind item carries only the input, one output, the criteria and the reviewer’s own rating', () => {
    const keys = (shape: Record<string, unknown>) => Object.keys(shape).sort()
    expect(reviewContract['review:item'].output).toBe(BlindItem)
    expect(keys(BlindItem.shape)).toEqual(
      ['criteria', 'gold', 'input', 'myRating', 'output', 'position', 'rated', 'setId', 'total'].sort(),
    )
    // Strict: a handler that leaked the model, the jury or other reviewers would fail validation.
    const ok = {
      setId: 1,
      position: 0,
      total: 1,
      rated: 0,
      input: 'q',
      output: 'a',
      gold: null,
      criteria: [{ id: 'accuracy', name: 'Accuracy', description: 'd' }],
      myRating: null,
    }
    expect(BlindItem.safeParse(ok).success).toBe(true)
    for (const leak of [{ modelKey: 'ollama/x' }, { runItemId: 3 }, { jury: 4.2 }, { otherRatings: [] }])
      expect(BlindItem.safeParse({ ...ok, ...leak }).success, JSON.stringify(leak)).toBe(false)
    expect(
      BlindItem.safeParse({ ...ok, myRating: { scores: { accuracy: 3 }, comment: '', reviewer: 'B' } })
        .success,
    ).toBe(false)
    expect(
      BlindItem.safeParse({ ...ok, criteria: [{ id: 'a', name: 'A', description: 'd', juryMean: 3 }] })
        .success,
    ).toBe(false)
  })

  it('never shows the model, the judges, the jury’s scores or another reviewer’s rating', async () => {
    const set = await call<ReviewSetSummary>('review:create-set', {
      runId,
      benchmarkId: BENCHMARK,
      size: 6,
      seed: 1,
    })
    const other = await call<{ id: number }>('review:reviewer-open', {
      name: 'Dr Other',
      confirmSwitch: true,
    })
    const me = await call<{ id: number }>('review:reviewer-open', { name: 'Dr Blind', confirmSwitch: true })
    for (let position = 0; position < 6; position++)
      await call('review:rate', {
        setId: set.id,
        reviewerId: other.id,
        position,
        scores: allScores(2),
        comment: 'SECRET-OTHER-COMMENT',
      })
    const seen: string[] = []
    for (let position = 0; position < 6; position++) {
      const item = await call<BlindItem>('review:item', { setId: set.id, reviewerId: me.id, position })
      expect(item.myRating).toBeNull()
      expect(item.output).toMatch(/^Case \d+: a reply/)
      expect(item.input).toMatch(/^Case \d+: a patient writes/)
      seen.push(JSON.stringify(item))
    }
    const text = seen.join('\n')
    for (const secret of [
      ...RUN_MODEL_KEYS,
      ...RUN_MODELS,
      ...JUDGE_KEYS,
      ...JUDGES,
      'SECRET-OTHER-COMMENT',
      'Dr Other',
    ])
      expect(text).not.toContain(secret)
    // No run item id either: the only numbers are set, position, counts and the reviewer's order.
    expect(Object.keys(JSON.parse(seen[0] as string) as object)).not.toContain('runItemId')
  })

  it('rates in the reviewer’s own order, interleaving models, and resumes where the reviewer stopped', async () => {
    const set = await call<ReviewSetSummary>('review:create-set', {
      runId,
      benchmarkId: BENCHMARK,
      size: 8,
      seed: 2,
    })
    const me = await call<{ id: number }>('review:reviewer-open', { name: 'Dr Resume', confirmSwitch: true })
    // The same reviewer again (any case, spaces): no confirmation needed.
    expect(await call('review:reviewer-open', { name: '  dr resume ' })).toMatchObject({ id: me.id })
    const s0 = await call<{ position: number; rated: number; total: number }>('review:session', {
      setId: set.id,
      reviewerId: me.id,
    })
    expect(s0).toMatchObject({ position: 0, rated: 0, total: 8, firstUnrated: 0 })

    // The order alternates between the two models (their outputs differ by tone).
    const tones: string[] = []
    for (let p = 0; p < 8; p++) {
      const item = await call<BlindItem>('review:item', { setId: set.id, reviewerId: me.id, position: p })
      tones.push(/\((\w+) tone\)/.exec(item.output)?.[1] as string)
    }
    for (let p = 1; p < 8; p++) expect(tones[p]).not.toBe(tones[p - 1])

    await call('review:item', { setId: set.id, reviewerId: me.id, position: 0 })
    const r0 = await call<{ position: number; rated: number }>('review:rate', {
      setId: set.id,
      reviewerId: me.id,
      position: 0,
      scores: allScores(4),
      comment: 'clear',
    })
    expect(r0).toMatchObject({ position: 1, rated: 1, total: 8, firstUnrated: 1 })
    // Skip position 1 (look at it, move on), rate 2.
    await call('review:item', { setId: set.id, reviewerId: me.id, position: 1 })
    await call('review:rate', { setId: set.id, reviewerId: me.id, position: 2, scores: allScores(3) })
    const s1 = await call('review:session', { setId: set.id, reviewerId: me.id })
    expect(s1).toMatchObject({ position: 3, rated: 2, firstUnrated: 1 })
    // Rating the skipped item moves on to the next unrated one, past those already rated.
    const r1 = await call('review:rate', {
      setId: set.id,
      reviewerId: me.id,
      position: 1,
      scores: allScores(2),
    })
    expect(r1).toMatchObject({ position: 3, rated: 3, firstUnrated: 3 })
    // Coming back to an item shows the reviewer's own rating.
    const back = await call<BlindItem>('review:item', { setId: set.id, reviewerId: me.id, position: 0 })
    expect(back.myRating).toEqual({ scores: allScores(4), comment: 'clear' })
    expect(await call('review:session', { setId: set.id, reviewerId: me.id })).toMatchObject({ position: 0 })
  })

  it('saves all of an item’s criteria or none, and never a default score', async () => {
    const set = await call<ReviewSetSummary>('review:create-set', {
      runId,
      benchmarkId: BENCHMARK,
      size: 4,
      seed: 3,
    })
    const me = await call<{ id: number }>('review:reviewer-open', { name: 'Dr Partial', confirmSwitch: true })
    const before = count(ctx, 'SELECT COUNT(*) AS n FROM ratings')
    const rate = (scores: Record<string, number>, position = 0) =>
      call('review:rate', { setId: set.id, reviewerId: me.id, position, scores })
    await expect(rate({ accuracy: 4, completeness: 4 })).rejects.toThrow(
      /invalid_input: scores: no score for clarity; rate every criterion/,
    )
    await expect(rate({ ...allScores(4), tone: 3 })).rejects.toThrow(
      /"tone" is not a criterion of review set/,
    )
    await expect(rate({ ...allScores(4), clarity: 6 })).rejects.toThrow(/invalid_input: .*scores\.clarity/)
    await expect(rate({ ...allScores(4), clarity: 2.5 })).rejects.toThrow(/invalid_input/)
    await expect(rate(allScores(4), 4)).rejects.toThrow(
      /position: 4 is outside review set \d+, which has 4 items/,
    )
    expect(count(ctx, 'SELECT COUNT(*) AS n FROM ratings')).toBe(before)
    await rate(allScores(5))
    expect(count(ctx, 'SELECT COUNT(*) AS n FROM ratings WHERE reviewer_id = ?', me.id)).toBe(3)
    // Rating again replaces, never duplicates.
    await rate(allScores(1))
    expect(ctx.db.prepare('SELECT score FROM ratings WHERE reviewer_id = ?').pluck().all(me.id)).toEqual([
      1, 1, 1,
    ])
  })
})

describe('after rating', () => {
  it('unblinds only once every item is rated, then shows the model and the jury next to the reviewer', async () => {
    const set = await call<ReviewSetSummary>('review:create-set', {
      runId,
      benchmarkId: BENCHMARK,
      size: 4,
      seed: 9,
    })
    const me = await call<{ id: number }>('review:reviewer-open', { name: 'Dr Done', confirmSwitch: true })
    await call('review:rate', { setId: set.id, reviewerId: me.id, position: 0, scores: allScores(3) })
    await expect(call('review:unblinded', { setId: set.id, reviewerId: me.id })).rejects.toThrow(
      /conflict: Dr Done has rated 1 of the 4 items of review set \d+/,
    )
    for (let p = 1; p < 4; p++)
      await call('review:rate', { setId: set.id, reviewerId: me.id, position: p, scores: allScores(p + 1) })
    const items = await call<
      {
        position: number
        runItemId: number
        modelKey: string
        rows: {
          criterion: string
          clinician: number
          jury: number | null
          votes: { judge: string; score: number }[]
        }[]
      }[]
    >('review:unblinded', { setId: set.id, reviewerId: me.id })
    expect(items).toHaveLength(4)
    for (const item of items) {
      expect(RUN_MODEL_KEYS).toContain(item.modelKey)
      expect(item.rows.map((r) => r.criterion)).toEqual(['accuracy', 'completeness', 'clarity'])
      for (const row of item.rows) {
        expect(row.clinician).toBe(item.position === 0 ? 3 : item.position + 1)
        expect(row.votes.map((v) => v.judge)).toEqual(JUDGE_KEYS)
        const stored = ctx.db
          .prepare(
            "SELECT AVG(score) FROM jury_votes WHERE run_item_id = ? AND criterion = ? AND status = 'valid'",
          )
          .pluck()
          .get(item.runItemId, row.criterion) as number
        expect(row.jury).not.toBeNull()
        expect(row.jury).toBeCloseTo(stored, 12)
      }
    }
  })

  it('computes agreement from the stored votes and ratings, with counts and reasons', async () => {
    // A database of its own: ratings belong to run items, so other tests' ratings would count here.
    const own = tempContext({ OLLAMA_HOST: fake.url })
    try {
      await agreementScenario(own, await scoredRun(own, own.dir, 12))
    } finally {
      own.dispose()
    }
  })
})

async function agreementScenario(ctx: TempContext, runId: number): Promise<void> {
  const router = routerFor(ctx)
  const call = <T>(channel: string, input?: unknown) => callThrough<T>(router, channel, input)
  const set = await call<ReviewSetSummary>('review:create-set', {
    runId,
    benchmarkId: BENCHMARK,
    size: 12,
    seed: 5,
  })
  const a = await call<{ id: number }>('review:reviewer-open', { name: 'Dr Agree A', confirmSwitch: true })
  const b = await call<{ id: number }>('review:reviewer-open', { name: 'Dr Agree B', confirmSwitch: true })
  // Dr A rates each item with the jury's rounded mean (+ noise); Dr B rates the first 6 only.
  const juryMean = ctx.db.prepare(
    "SELECT AVG(score) FROM jury_votes WHERE run_item_id = ? AND criterion = ? AND status = 'valid'",
  )
  const ids = ctx.db
    .prepare('SELECT run_item_id FROM review_set_items WHERE set_id = ? ORDER BY ordinal')
    .pluck()
    .all(set.id) as number[]
  const insert = ctx.db.prepare(
    "INSERT INTO ratings (reviewer_id, run_item_id, criterion, score, comment, created_at) VALUES (?, ?, ?, ?, '', 'x')",
  )
  ids.forEach((id, i) => {
    for (const c of ['accuracy', 'completeness', 'clarity']) {
      const j = Math.round(juryMean.pluck().get(id, c) as number)
      insert.run(a.id, id, c, Math.min(5, Math.max(1, j + (i % 3 === 0 ? 1 : 0))))
      if (i < 6) insert.run(b.id, id, c, Math.min(5, Math.max(1, j)))
    }
  })
  const report = await call<ReviewAgreement>('review:agreement', { setId: set.id })
  expect(report.counts).toEqual({ items: 12, rated: 12, juryScored: 12 })
  expect(report.juryVsClinicians.map((f) => f.scope)).toEqual([
    'accuracy',
    'completeness',
    'clarity',
    'overall',
  ])
  for (const f of report.juryVsClinicians) {
    expect(f).toMatchObject({ status: 'ok', items: 12, raters: 2, reviewers: ['Dr Agree A', 'Dr Agree B'] })
    expect(f.icc3k!.value).toBeGreaterThan(0.5)
    expect(f.icc3k!.ci95![0]).toBeLessThan(f.icc3k!.value)
    expect(f.icc3k!.ci95![1]).toBeGreaterThan(f.icc3k!.value)
  }
  // Two reviewers share only 6 items: the baseline is not computable, and says why.
  expect(report.clinicianBaseline[0]).toMatchObject({
    status: 'not_computable',
    items: 6,
    raters: 2,
    reason: '6 items have ratings from every rater; at least 10 are needed',
  })
  expect(report.points).toHaveLength(12)
}
