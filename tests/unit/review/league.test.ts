import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReviewAgreement, ReviewSetSummary, ScorerLeague } from '../../../src/shared/api/review'
import { tempContext, type TempContext } from '../../support/context'
import type { FakeOllama } from '../../support/fake-ollama'
import { callThrough, routerFor } from '../../support/router'
import { runCliCaptured } from '../../support/cli'
import { BENCHMARK, JUDGE_KEYS, scoredRun, startFake } from './helpers'
import { rateSetLikeTheJury } from './league-helpers'

/**
 * The scorer league of review sets: the jury, each judge alone and the text metrics scored on the
 * items, each against the clinicians by MedHELM's method, best first — per set, pooled across sets,
 * through IPC and the CLI.
 */

let fake: FakeOllama
let ctx: TempContext
let sets: number[]

beforeAll(async () => {
  fake = await startFake()
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  const runId = await scoredRun(ctx, ctx.dir, 14)
  const router = routerFor(ctx)
  const call = <T>(channel: string, input?: unknown) => callThrough<T>(router, channel, input)
  const made: number[] = []
  for (const seed of [1, 2])
    made.push(
      (await call<ReviewSetSummary>('review:create-set', { runId, benchmarkId: BENCHMARK, size: 14, seed }))
        .id,
    )
  sets = made
  const a = await call<{ id: number }>('review:reviewer-open', { name: 'Dr League A' })
  const b = await call<{ id: number }>('review:reviewer-open', { name: 'Dr League B', confirmSwitch: true })
  rateSetLikeTheJury(ctx, made[0] as number, [a.id, b.id])
})
afterAll(async () => {
  ctx.dispose()
  await fake.close()
})

describe('scorer league', () => {
  it('ranks the jury, each judge and ROUGE-L against the clinicians, best first, with CI and label', async () => {
    const router = routerFor(ctx)
    const report = await callThrough<ReviewAgreement>(router, 'review:agreement', { setId: sets[0] })
    const league = report.league
    expect(league.setIds).toEqual([sets[0]])
    expect(league.ratedItems).toBe(14)
    const keys = league.scorers.map((s) => s.scorer)
    expect(new Set(keys)).toEqual(new Set(['jury', ...JUDGE_KEYS.map((j) => `judge:${j}`), 'rouge_l']))
    const values = league.scorers.map((s) => s.icc3k?.value ?? -Infinity)
    expect(values).toEqual([...values].sort((x, y) => y - x))
    const jury = league.scorers.find((s) => s.scorer === 'jury')!
    expect(jury).toMatchObject({ kind: 'jury', items: 14, status: 'ok', name: 'LLM jury (3 judges)' })
    expect(jury.icc3k!.value).toBeGreaterThan(0.5)
    expect(jury.icc3k!.ci95![0]).toBeLessThan(jury.icc3k!.value)
    expect(jury.icc3k!.label).toMatch(/^(poor|moderate|good|excellent)( to (moderate|good|excellent))?$/)
    expect(jury.verdict).toContain(jury.icc3k!.label)
    // The jury's composites all round to 3 here: κ would be 0 by construction, so it is not shown.
    expect(jury.kappa).toBeNull()
    expect(jury.kappaNote).toBe('rounded to 1–5, every score of LLM jury (3 judges) is 3: κ says nothing')
    const judged = league.scorers.filter((s) => s.kind === 'judge' && s.kappa)
    expect(judged.length).toBeGreaterThan(0)
    expect(judged[0]!.kappa!.ci95![0]).toBeLessThanOrEqual(judged[0]!.kappa!.value)
    const rouge = league.scorers.find((s) => s.scorer === 'rouge_l')!
    expect(rouge).toMatchObject({ kind: 'metric', name: 'ROUGE-L', kappa: null })
    expect(rouge.kappaNote).toContain('1–5')
    expect(keys.indexOf('jury')).toBeLessThan(keys.indexOf('rouge_l'))
    expect(league.baseline).toMatchObject({ raters: ['Dr League A', 'Dr League B'], items: 14, status: 'ok' })
    const best = league.scorers[0]!
    expect(league.headline).toContain(
      `${best.name} agrees best with your clinicians: ICC(3,k) ${best.icc3k!.value.toFixed(2)}, ${best.icc3k!.label}`,
    )
    expect(league.headline).toMatch(/two clinicians follow each other \(ICC\(3,k\) -?\d\.\d\d/)
  })

  it('pools sets: an item in both sets counts once; an unrated set adds nothing', async () => {
    const router = routerFor(ctx)
    const pooled = await callThrough<ScorerLeague>(router, 'review:league', {})
    expect(pooled.setIds).toEqual(sets)
    expect(pooled.ratedItems).toBe(14)
    const one = await callThrough<ScorerLeague>(router, 'review:league', { setIds: [sets[0]] })
    expect(pooled.scorers.find((s) => s.scorer === 'jury')!.icc3k).toEqual(
      one.scorers.find((s) => s.scorer === 'jury')!.icc3k,
    )
  })

  it('prints the league in review agreement, per set and pooled', async () => {
    const env = { WARDEVAL_DB: ctx.dbPath }
    const one = await runCliCaptured(['review', 'agreement', String(sets[0])], { env })
    expect(one.code).toBe(0)
    expect(one.stdout).toContain(`Scorer league (review set ${sets[0]})`)
    expect(one.stdout).toMatch(/1\s+LLM jury \(3 judges\)\s+14\s+0\.\d\d \[/)
    expect(one.stdout).toContain('ROUGE-L')
    // The per-criterion figures carry their Koo & Li label too.
    expect(one.stdout).toMatch(/overall\s+14\s+2\s+-?\d\.\d\d \[[^\]]+\]\s+(poor|moderate|good|excellent)/)
    const all = await runCliCaptured(['--json', 'review', 'agreement', 'all'], { env })
    expect(all.code).toBe(0)
    expect((JSON.parse(all.stdout) as ScorerLeague).setIds).toEqual(sets)
    const json = await runCliCaptured(['--json', 'review', 'agreement', String(sets[0])], { env })
    expect((JSON.parse(json.stdout) as ReviewAgreement).league.scorers.length).toBe(5)
  })
})
