import { describe, expect, it } from 'vitest'
import { computeLeaderboard } from '../../../src/main/analysis/leaderboard'
import { setPrice } from '../../../src/main/analysis/prices'
import { Leaderboard, type LeaderboardRow } from '../../../src/shared/api/leaderboard'
import { callThrough, routerFor } from '../../support/router'
import { JUDGE } from './world'
import { useWorld } from './world-hooks'

const world = useWorld({
  setup: (c) => {
    setPrice(c.db, { modelKey: 'ollama/alpha', inputPerMTok: 2, outputPerMTok: 10 })
    setPrice(c.db, { modelKey: 'ollama/gamma', inputPerMTok: 1, outputPerMTok: 1 })
    setPrice(c.db, { modelKey: JUDGE, inputPerMTok: 1, outputPerMTok: 2 })
  },
})

const row = (rows: LeaderboardRow[], model: string) => rows.find((r) => r.modelKey === `ollama/${model}`)!

describe('leaderboard over runs and scores in a database', () => {
  it('takes each model × benchmark from its latest scored run, with counts that show partial cells', () => {
    const lb = computeLeaderboard(world.ctx, {})
    expect(Leaderboard.parse(lb)).toEqual(lb)
    expect(lb.columns.map((c) => [c.key, c.categoryId, c.scale, c.rescaled])).toEqual([
      ['mc_a:exact_match', 'clinical_decision_support', '0-1', false],
      ['mc_b:exact_match', 'clinical_note_generation', '0-1', false],
      ['notes:jury', 'patient_communication', '1-5', true],
    ])
    const cell = (model: string, col: string) =>
      lb.cells.find((c) => c.modelKey === `ollama/${model}` && c.columnKey === col)!
    // gamma on mc_a comes from run 4 (3/6), not run 1 (0/6).
    expect(cell('gamma', 'mc_a:exact_match')).toMatchObject({ runId: 4, value: 0.5, partial: false })
    expect(cell('alpha', 'mc_a:exact_match')).toMatchObject({ runId: 1, value: 1 })
    expect(cell('beta', 'mc_b:exact_match')).toMatchObject({ runId: 2, value: 1 })
    // beta's second case is unscored: the mean is over the one scored case (2), never a default 1.
    expect(cell('beta', 'notes:jury')).toMatchObject({
      value: 2,
      normalized: 0.25,
      partial: true,
      counts: { total: 2, scored: 1, unscored: 1, failed: 0, missing: 0 },
    })
    expect(cell('gamma', 'notes:jury')).toMatchObject({
      value: 3,
      normalized: 0.5,
      counts: { total: 2, scored: 1, unscored: 0, failed: 1, missing: 0 },
    })
    expect(lb.cells.some((c) => c.modelKey === 'ollama/gamma' && c.columnKey === 'mc_b:exact_match')).toBe(
      false,
    )
    expect(lb.runs.map((r) => [r.id, r.used])).toEqual([
      [4, true],
      [3, true],
      [2, true],
      [1, true],
    ])
  })

  it('ranks by mean win rate (ties half a win, missing cells skipped) with macro-averages and SD', () => {
    const lb = computeLeaderboard(world.ctx, {})
    expect(lb.rows.map((r) => r.modelKey)).toEqual(['ollama/alpha', 'ollama/beta', 'ollama/gamma'])
    // mc_a: alpha 2/2, beta and gamma tied at 0.5/2; mc_b: alpha 0, beta 1; notes: beta 0, gamma 1/2, alpha 1.
    expect(row(lb.rows, 'alpha').winRate).toBeCloseTo(2 / 3, 12)
    expect(row(lb.rows, 'beta').winRate).toBeCloseTo((0.25 + 1 + 0) / 3, 12)
    expect(row(lb.rows, 'gamma')).toMatchObject({ winRate: 0.375, winRateColumns: 2 })
    // Normalised: alpha 1, 0.5, 0.75 → mean 0.75, SD sqrt(0.125 / 2) = 0.25.
    expect(row(lb.rows, 'alpha').macro.mean).toBeCloseTo(0.75, 12)
    expect(row(lb.rows, 'alpha').macro.sd).toBeCloseTo(0.25, 12)
    expect(row(lb.rows, 'gamma').macro).toEqual({ mean: 0.5, sd: 0, n: 2 })
    const cds = (m: string) => row(lb.rows, m).categories.find((c) => c.id === 'clinical_decision_support')!
    expect([cds('alpha').winRate, cds('beta').winRate, cds('gamma').winRate]).toEqual([1, 0.25, 0.25])
    const cng = row(lb.rows, 'gamma').categories.find((c) => c.id === 'clinical_note_generation')!
    expect(cng).toMatchObject({ winRate: null, macro: { mean: null, n: 0 } })
    expect(
      row(lb.rows, 'beta').subcategories.find((s) => s.id === 'patient_provider_messaging')!.macro.mean,
    ).toBe(0.25)
  })

  it('efficiency: mean runtime per answer and its win rate, lower is better', () => {
    const lb = computeLeaderboard(world.ctx, {})
    expect(lb.rows.map((r) => [r.modelKey, r.runtime.meanMs])).toEqual([
      ['ollama/alpha', 100],
      ['ollama/beta', 200],
      ['ollama/gamma', 300],
    ])
    expect(row(lb.rows, 'alpha').runtime.winRate).toBe(1)
    expect(row(lb.rows, 'beta').runtime.winRate).toBeCloseTo(1 / 3, 12)
    expect(row(lb.rows, 'gamma').runtime.winRate).toBe(0)
  })

  it('cost from actual tokens, model and jury apart; missing tokens and missing prices are unknown, not 0', () => {
    const lb = computeLeaderboard(world.ctx, {})
    const alpha = row(lb.rows, 'alpha').cost
    // 12 answers × (1000 × $2 + 100 × $10) / 1M = $0.036; jury 2 × (500 × $1 + 50 × $2) / 1M = $0.0012.
    expect(alpha.model).toMatchObject({
      inputTokens: 12_000,
      outputTokens: 1_200,
      responses: 12,
      missingTokens: 0,
    })
    expect(alpha.model.usd).toBeCloseTo(0.036, 12)
    expect(alpha.jury.usd).toBeCloseTo(0.0012, 12)
    expect(alpha.total.usd).toBeCloseTo(0.0372, 12)
    const beta = row(lb.rows, 'beta').cost
    expect(beta.model).toMatchObject({
      usd: null,
      knownUsd: 0,
      unpriced: ['ollama/beta'],
      inputTokens: 12 * 40,
    })
    // Judge-a voted on beta's two cases but no judge request of them is recorded.
    expect(beta.jury).toMatchObject({ usd: null, missingTokens: 2 })
    const gamma = row(lb.rows, 'gamma').cost
    expect(gamma.model).toMatchObject({ usd: null, missingTokens: 8, unpriced: [] })
    expect(gamma.total.usd).toBeNull()
    expect(lb.notes.join('\n')).toMatch(/8 model answers have no token counts/)
    expect(lb.notes.join('\n')).toMatch(/No price is set for ollama\/beta/)
  })

  it('--runs: only those runs; a category: its own win rates', () => {
    const old = computeLeaderboard(world.ctx, { runIds: [1, 2, 3] })
    expect(
      old.cells.find((c) => c.modelKey === 'ollama/gamma' && c.columnKey === 'mc_a:exact_match'),
    ).toMatchObject({ runId: 1, value: 0 })
    expect(row(old.rows, 'gamma').winRate).toBeCloseTo(0.25, 12)
    expect(row(old.rows, 'beta').winRate).toBeCloseTo(0.5, 12)
    expect(old.runs.find((r) => r.id === 4)?.used).toBe(false)

    const pc = computeLeaderboard(world.ctx, { categoryId: 'patient_communication' })
    expect(pc.columns.map((c) => c.key)).toEqual(['notes:jury'])
    expect(pc.rows.map((r) => [r.modelKey, r.winRate])).toEqual([
      ['ollama/alpha', 1],
      ['ollama/gamma', 0.5],
      ['ollama/beta', 0],
    ])
    expect(pc.categories.find((c) => c.id === 'clinical_note_generation')?.columns).toBe(1)
  })

  it('names what is wrong: an unknown run or category', async () => {
    expect(() => computeLeaderboard(world.ctx, { runIds: [1, 99] })).toThrow(/no run 99 in this database/)
    expect(() => computeLeaderboard(world.ctx, { categoryId: 'cardiology' })).toThrow(
      /no taxonomy category "cardiology"; use one of clinical_decision_support/,
    )
    const router = routerFor(world.ctx)
    await expect(callThrough(router, 'leaderboard:get', { runIds: [0] })).rejects.toThrow(/invalid_input/)
    const lb = await callThrough<Leaderboard>(router, 'leaderboard:get', {
      categoryId: 'clinical_note_generation',
    })
    expect(lb.rows.map((r) => r.modelKey)).toEqual(['ollama/beta', 'ollama/alpha'])
  })

  it('prices through the router: set, list, remove; a bad key, an unknown model or a negative price is refused', async () => {
    const router = routerFor(world.ctx)
    // A key no endpoint lists and no run used is a typo: refused, naming the field and the nearest model.
    await expect(
      callThrough(router, 'leaderboard:price-set', {
        modelKey: 'ollama/alpah',
        inputPerMTok: 1,
        outputPerMTok: 1,
      }),
    ).rejects.toThrow(
      /model key: no endpoint lists and no run used "ollama\/alpah" \(did you mean "ollama\/alpha"\?\)/,
    )
    world.ctx.db
      .prepare(
        "INSERT INTO endpoints (name, kind, base_url, created_at) VALUES ('lab', 'openai', 'http://127.0.0.1:9/v1', '2026-01-01')",
      )
      .run()
    world.ctx.db
      .prepare(
        "INSERT INTO models (endpoint_id, name, last_seen_at) SELECT id, 'mistral', '2026-01-01' FROM endpoints WHERE name = 'lab'",
      )
      .run()
    const p = await callThrough<{ modelKey: string }>(router, 'leaderboard:price-set', {
      modelKey: 'lab/mistral',
      inputPerMTok: 0.5,
      outputPerMTok: 1.5,
    })
    expect(p).toMatchObject({ modelKey: 'lab/mistral', inputPerMTok: 0.5, outputPerMTok: 1.5 })
    const list = await callThrough<{ modelKey: string }[]>(router, 'leaderboard:prices')
    expect(list.map((x) => x.modelKey)).toContain('lab/mistral')
    await expect(
      callThrough(router, 'leaderboard:price-set', {
        modelKey: 'mistral',
        inputPerMTok: 1,
        outputPerMTok: 1,
      }),
    ).rejects.toThrow(/invalid_input/)
    await expect(
      callThrough(router, 'leaderboard:price-set', { modelKey: 'lab/x', inputPerMTok: -1, outputPerMTok: 1 }),
    ).rejects.toThrow(/invalid_input/)
    expect(await callThrough(router, 'leaderboard:price-remove', { modelKey: 'lab/mistral' })).toEqual({
      removed: true,
    })
    expect(await callThrough(router, 'leaderboard:price-remove', { modelKey: 'lab/mistral' })).toEqual({
      removed: false,
    })
  })

  it('through the router: progress of the bootstrap as job:progress, and the power of a planned run', async () => {
    const router = routerFor(world.ctx)
    const events: { done: number; total: number | null; state: string; kind: string }[] = []
    const off = world.ctx.events.on((channel, payload) => {
      if (channel === 'job:progress') events.push(payload as (typeof events)[number])
    })
    const lb = await callThrough<Leaderboard>(router, 'leaderboard:get', {
      jobId: 'lb-1',
      adjust: 'bh',
      seed: 7,
    })
    off()
    expect(lb.statistics).toMatchObject({ adjust: 'bh', seed: 7, view: 'paired' })
    expect(events.length).toBeGreaterThan(2)
    expect(events.every((e) => e.kind === 'leaderboard' && e.total === 2000)).toBe(true)
    expect(events.at(-1)).toMatchObject({ state: 'done', done: 2000 })
    expect(events.slice(0, -1).every((e) => e.state === 'running' && e.done < 2000)).toBe(true)
    // The same seed through the sync path gives the same intervals.
    expect(computeLeaderboard(world.ctx, { adjust: 'bh', seed: 7 }).cells.map((c) => c.ci)).toEqual(
      lb.cells.map((c) => c.ci),
    )

    const given = await callThrough<{ n: number }>(router, 'leaderboard:power', {
      discordance: 0.2,
      difference: 0.1,
    })
    expect(given).toMatchObject({ n: 155, discordanceSource: 'given' })
    // From the runs: the binary scores of every pair of models on the same instances.
    const fromRuns = await callThrough<{
      discordanceSource: string
      detectableDifference: number
      sentence: string
    }>(router, 'leaderboard:power', { n: 30 })
    expect(fromRuns.discordanceSource).toBe('earlier runs')
    expect(fromRuns.sentence).toMatch(
      /^30 paired instances per benchmark can detect differences of about 0\.\d\d/,
    )
    await expect(callThrough(router, 'leaderboard:power', { n: 30, difference: 1.5 })).rejects.toThrow(
      /invalid_input/,
    )
  })
})
