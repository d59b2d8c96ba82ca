import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeLeaderboard } from '../../../src/main/analysis/leaderboard'
import type { Calibration, JudgeBiasReport } from '../../../src/shared/api/calibration'
import type { ReviewSetSummary } from '../../../src/shared/api/review'
import { runCliCaptured } from '../../support/cli'
import { tempContext, type TempContext } from '../../support/context'
import type { FakeOllama } from '../../support/fake-ollama'
import { callThrough, routerFor } from '../../support/router'
import type { Router } from '../../../src/main/ipc/router'
import { clinician, offsetJury, rateAll } from './calibration-helpers'
import { BENCHMARK, JUDGE_KEYS, RUN_MODEL_KEYS, scoredRun, startFake } from './helpers'

/**
 * Calibration and the judge bias report over a real scored run (2 models × 18 cases, a jury of
 * three judges on the loopback server) and a clinician's ratings with known offsets:
 *   base(c, v) = 1 + ((c + 2v) mod 4)       (1–4)
 *   clinician  = base + 1                    judge-x = base + 1 (as the clinician)
 *   judge-y = judge-z = base                 (one point harsher)
 * So the jury composite is base + 1/3, the clinicians' base + 1: a calibration should close the gap.
 */

const N_CASES = 18

let ctx: TempContext
let fake: FakeOllama
let router: Router
let runId: number
let fullSet: number
let smallSet: number
const call = <T>(channel: string, input?: unknown) => callThrough<T>(router, channel, input)
const cli = (args: string[]) =>
  runCliCaptured(['--db', ctx.dbPath, ...args], { env: { OLLAMA_HOST: fake.url } })

beforeAll(async () => {
  fake = await startFake(offsetJury)
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  runId = await scoredRun(ctx, ctx.dir, N_CASES)
  router = routerFor(ctx)
  const make = (size: number, seed: number) =>
    call<ReviewSetSummary>('review:create-set', { runId, benchmarkId: BENCHMARK, size, seed })
  fullSet = (await make(2 * N_CASES, 1)).id
  smallSet = (await make(20, 2)).id
  rateAll(ctx, fullSet, 'Dr A', clinician)
  rateAll(ctx, smallSet, 'Dr A', clinician)
}, 90_000)
afterAll(async () => {
  ctx.dispose()
  await fake.close()
})

describe('judge bias report', () => {
  it("measures each judge's leniency against the clinicians, with a seeded interval", async () => {
    const r = await call<JudgeBiasReport>('review:bias', { setId: fullSet })
    expect(r.ratedItems).toBe(2 * N_CASES)
    const of = (j: string) => r.judges.find((x) => x.judge === j)!
    expect(of(JUDGE_KEYS[0]!).leniency).toMatchObject({ value: 0, ci95: [0, 0], n: 36 })
    expect(of(JUDGE_KEYS[1]!).leniency!.value).toBeCloseTo(-1, 12)
    expect(of('jury').leniency!.value).toBeCloseTo(-2 / 3, 12)
    // A constant difference has no correlation with length: undefined, not 0.
    expect(of(JUDGE_KEYS[0]!).verbosity).toBeNull()
    // Families come from Ollama's details (the run listed the models; the fake server reports every
    // model as "llama"), so each judge is flagged for both models, with its extra leniency on each.
    expect(of(JUDGE_KEYS[1]!)).toMatchObject({ family: 'llama', familySource: 'ollama' })
    expect(of(JUDGE_KEYS[1]!).sameFamily.map((s) => [s.modelKey, s.excess?.value])).toEqual([
      [RUN_MODEL_KEYS[0], 0],
      [RUN_MODEL_KEYS[1], 0],
    ])
    expect(of('jury')).toMatchObject({ family: null, sameFamily: [] })
    expect(r.models.map((m) => [m.family, m.familySource, m.items])).toEqual([
      ['llama', 'ollama', N_CASES],
      ['llama', 'ollama', N_CASES],
    ])
    expect(r.notes.join(' ')).toMatch(
      /ollama\/judge-x is of the llama family, as ollama\/model-a:1b, ollama\/model-b:1b/,
    )
    expect(r.excludeSameFamily).toBe(false)
    // Same seed, same report; the CLI prints it.
    expect(await call<JudgeBiasReport>('review:bias', { setId: fullSet })).toEqual(r)
    const text = await cli(['review', 'bias', String(fullSet)])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/Leniency: mean of \(judge − clinicians\)/)
    expect(text.stdout).toMatch(/ollama\/judge-y\s+llama\s+36\s+-1\.00 \[-1\.00, -1\.00\]/)
  })
})

describe('calibration to the clinicians', () => {
  it('refuses fewer than 30 rated items with the reason', async () => {
    await expect(call('review:calibrate', { setIds: [smallSet] })).rejects.toThrow(
      /conflict: calibration needs at least 30 items rated by a clinician .*; set \d+ has 20/,
    )
    const r = await cli(['review', 'calibrate', '--sets', String(smallSet)])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/at least 30 items/)
  })

  it('fits a monotone map, improves agreement on held-out items, stores it and labels it', async () => {
    const c = await call<Calibration>('review:calibrate', { setIds: [fullSet], folds: 5, seed: 3 })
    expect(c).toMatchObject({ setIds: [fullSet], benchmarks: [BENCHMARK], items: 36, ratings: 36, folds: 5 })
    expect(c.label).toBe(`calibrated to 36 clinician ratings (set ${fullSet})`)
    // The map takes base + 1/3 to base + 1 at each of its knots.
    c.map.x.forEach((x, i) => expect(c.map.y[i]).toBeCloseTo(x + 2 / 3, 12))
    expect(c.before.meanDifference).toBeCloseTo(-2 / 3, 12)
    expect(c.after.meanAbsError).toBeLessThan(c.before.meanAbsError)
    expect(Math.abs(c.after.meanDifference)).toBeLessThan(0.2)
    expect(c.after.iccAbsolute!.value).toBeGreaterThan(c.before.iccAbsolute!.value)
    expect(c.id).not.toBeNull()
    const listed = await call<Calibration[]>('review:calibrations')
    expect(listed[0]).toEqual(c)
    // A dry run is not stored; the same seed gives the same folds and figures.
    const again = await call<Calibration>('review:calibrate', {
      setIds: [fullSet],
      folds: 5,
      seed: 3,
      save: false,
    })
    expect({ ...again, id: c.id, createdAt: c.createdAt }).toEqual(c)
    expect(await call<Calibration[]>('review:calibrations')).toHaveLength(1)
  })

  it('the leaderboard shows calibrated jury scores beside the raw ones, labelled', async () => {
    const raw = computeLeaderboard(ctx, {})
    const lb = computeLeaderboard(ctx, { calibration: 'latest' })
    expect(raw.calibration).toBeNull()
    expect(raw.cells.every((c) => c.calibrated === null)).toBe(true)
    expect(lb.calibration).toMatchObject({ setIds: [fullSet], columns: [`${BENCHMARK}:jury`] })
    expect(lb.notes.join(' ')).toContain(`calibrated to 36 clinician ratings (set ${fullSet})`)
    for (const cell of lb.cells) {
      const before = raw.cells.find((c) => c.modelKey === cell.modelKey)!
      expect(cell.value).toBe(before.value) // raw never replaced
      expect(cell.calibrated!.value).toBeCloseTo((before.value as number) + 2 / 3, 12)
      expect(cell.calibrated!.instances).toBe(N_CASES)
    }
    expect(lb.rows.map((r) => r.modelKey)).toEqual(raw.rows.map((r) => r.modelKey))
    const text = await cli(['leaderboard', '--calibration'])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/calibrated \(calibration \d+\)/)
    expect(text.stdout).toContain(`calibrated to 36 clinician ratings (set ${fullSet})`)
    const json = JSON.parse(
      (await cli(['--json', 'leaderboard', '--calibration', String(lb.calibration!.id)])).stdout,
    )
    expect(json.cells[0].value).toBe(lb.cells[0]!.value)
    expect((await cli(['leaderboard', '--calibration', 'x'])).stderr).toMatch(/--calibration: "x"/)
  })

  it('the committee report carries the calibrated jury scores beside the raw ones (report --calibration)', async () => {
    const lb = computeLeaderboard(ctx, { calibration: 'latest' })
    const out = join(ctx.dir, 'calibrated.html')
    expect((await cli(['report', '--calibration', '--out', out])).code).toBe(0)
    const html = readFileSync(out, 'utf8')
    expect(html).toContain(`Raw and calibrated jury scores (1–5), calibration ${lb.calibration!.id}`)
    expect(html).toContain(`Jury scores ${lb.calibration!.label}`)
    for (const cell of lb.cells)
      expect(html).toContain(`${cell.value!.toFixed(2)} → ${cell.calibrated!.value.toFixed(2)}`)
    // Without the option the report shows raw scores only (and says the jury is not calibrated).
    const plain = join(ctx.dir, 'raw.html')
    expect((await cli(['report', '--out', plain])).code).toBe(0)
    expect(readFileSync(plain, 'utf8')).not.toContain('Raw and calibrated jury scores')
  })
})
