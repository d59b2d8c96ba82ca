import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCliCaptured } from '../../support/cli'

const FIXTURES = resolve(__dirname, '../../fixtures/medhelm')
const dir = mkdtempSync(join(tmpdir(), 'wardeval-stats-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const cli = (...args: string[]) => runCliCaptured(args)
function file(name: string, text: string): string {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

// The paper's 9 models on its 35 benchmarks (som-shahlab/medhelm data/leaderboard.csv @ af827cf).
// Expected: the published "Mean win rate" (3 decimals); win SD, macro-average and SD as the paper's
// tables/1_win_rate_table.py computes them (recomputed independently from the same file); the SD
// of each model's 35 per-benchmark win rates.
const PAPER = [
  ['DeepSeek R1', 0.659, 0.1092, 0.755921, 0.221142, 0.330491],
  ['o3-mini (2025-01-31)', 0.648, 0.1407, 0.775536, 0.180533, 0.297077],
  ['Claude 3.5 Sonnet (20241022)', 0.636, 0.1381, 0.731521, 0.206591, 0.298895],
  ['Claude 3.7 Sonnet (20250219)', 0.629, 0.1313, 0.730214, 0.210371, 0.305037],
  ['GPT-4o (2024-05-13)', 0.573, 0.1792, 0.732814, 0.182834, 0.297232],
  ['Gemini 2.0 Flash', 0.427, 0.1775, 0.703393, 0.206956, 0.285401],
  ['GPT-4o mini (2024-07-18)', 0.386, 0.18, 0.711671, 0.199665, 0.252352],
  ['Llama 3.3 Instruct (70B)', 0.304, 0.1332, 0.690307, 0.218482, 0.282022],
  ['Gemini 1.5 Pro (001)', 0.239, 0.0766, 0.668136, 0.208145, 0.223034],
] as const

interface TableModel {
  model: string
  winRate: number
  publishedWinRate: number
  winRateSd: number
  pairwiseWinSd: number
  macro: { mean: number; sd: number; n: number }
  categories: { id: string; macro: { mean: number; n: number } }[]
}

describe('stats leaderboard', () => {
  it("reproduces MedHELM's published leaderboard of the paper's 9 models from the per-benchmark scores", async () => {
    const r = await cli('stats', 'leaderboard', join(FIXTURES, 'leaderboard-35.csv'), '--json')
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as {
      models: TableModel[]
      columns: { rescaled: boolean; categoryId: string | null }[]
      notes: string[]
    }
    expect(out.models.map((m) => m.model)).toEqual(PAPER.map((p) => p[0]))
    for (const [model, win, winSd, macro, sd, wrSd] of PAPER) {
      const m = out.models.find((x) => x.model === model)!
      expect(m.publishedWinRate).toBe(win)
      // Within the rounding of the 3-decimal scores the table publishes (ties among rounded values).
      expect(Math.abs(m.winRate - win)).toBeLessThanOrEqual(0.0025)
      expect(m.pairwiseWinSd).toBeCloseTo(winSd, 3)
      expect(m.macro.mean).toBeCloseTo(macro, 5)
      expect(m.macro.sd).toBeCloseTo(sd, 5)
      expect(m.macro.n).toBe(35)
      expect(m.winRateSd).toBeCloseTo(wrSd, 5)
      expect(m.categories.reduce((n, c) => n + c.macro.n, 0)).toBe(35)
    }
    // The 13 jury columns (headed "Accuracy", 1–5) are rescaled; every benchmark is in the catalog.
    expect(out.columns.filter((c) => c.rescaled)).toHaveLength(13)
    expect(out.columns.every((c) => c.categoryId !== null)).toBe(true)
    expect(out.notes).toEqual([])
  })

  it('reproduces the 33-benchmark version too (win rates within the file’s 3-decimal rounding)', async () => {
    const r = await cli('stats', 'leaderboard', join(FIXTURES, 'leaderboard-33.csv'), '--json')
    const out = JSON.parse(r.stdout) as { models: TableModel[] }
    for (const m of out.models) expect(Math.abs(m.winRate - m.publishedWinRate)).toBeLessThanOrEqual(0.0025)
    expect(out.models[0]!.model).toBe('o3-mini (2025-01-31)')
  })

  it('prints a table; bad tables name the line and column and print no result', async () => {
    const ok = await cli('stats', 'leaderboard', join(FIXTURES, 'leaderboard-35.csv'))
    expect(ok.stdout).toMatch(/^Leaderboard from leaderboard-35\.csv: 35 benchmarks, 9 models/)
    expect(ok.stdout).toMatch(/DeepSeek R1\s+0\.659\s+0\.659/)
    const cases: [string, RegExp][] = [
      ['Model,A - EM,B - EM\nx,0.5,0.2\n', /at least two models; found 1/],
      ['Model,A - EM,B\nx,0.5,0.2\ny,0.1,0.3\n', /line 1, column "B" \(3\): a score column must be headed/],
      ['Model,A - EM,B - EM\nx,0.5,abc\ny,0.1,0.3\n', /line 2, column "B - EM" \(3\): not a number/],
      ['Model,A - EM\nx,0.5\nx,0.1\n', /line 3, column "Model" \(1\): the same model as line 2/],
      ['Model,A - EM\nx,0.5,1\ny,0.1\n', /line 2: 3 fields where the header has 2/],
    ]
    for (const [text, message] of cases) {
      const r = await cli('stats', 'leaderboard', file('bad.csv', text))
      expect(r.code).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(message)
      expect(r.stderr).not.toContain('abc')
    }
    const jury = await cli(
      'stats',
      'leaderboard',
      file('jury.csv', 'Model,Notes - Jury Score,QA - EM\nx,1,1\ny,1,0\n'),
      '--json',
    )
    const j = JSON.parse(jury.stdout) as { models: TableModel[]; columns: { rescaled: boolean }[] }
    // An all-1 "Jury Score" column is the worst jury score (0), not a perfect 1.
    expect(j.columns.map((c) => c.rescaled)).toEqual([true, false])
    expect(j.models.find((m) => m.model === 'x')!.macro.mean).toBe(0.5)
  })
})

describe('stats compare', () => {
  const rows = (bench: string, model: string, scores: number[], from = 0) =>
    scores.map((s, i) => `${bench},i${i + from},${model},${s}`)
  // 40 instances: A right on 30, B right on 20, both on 18 → b = 12, c = 2.
  const a = Array.from({ length: 40 }, (_, i) => (i < 30 ? 1 : 0))
  const b = Array.from({ length: 40 }, (_, i) => (i < 18 || (i >= 30 && i < 32) ? 1 : 0))
  const jA = Array.from({ length: 30 }, (_, i) => 3 + (i % 3))
  const jB = Array.from({ length: 30 }, (_, i) => 2 + (i % 2))

  it('compares every pair on the common instances with the exact McNemar or a sign-flip test, adjusted p', async () => {
    const csv = [
      'benchmark,instance_id,model,score',
      ...rows('qa', 'A', a),
      ...rows('qa', 'B', b),
      ...rows('notes', 'A', jA),
      ...rows('notes', 'B', jB.slice(0, 25)), // B lacks 5 instances: compared on 25
    ].join('\n')
    const path = file('scores.csv', csv)
    const r = await cli('stats', 'compare', path, '--json')
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout)
    const cell = (bench: string, m: string) =>
      out.cells.find((c: { benchmark: string; model: string }) => c.benchmark === bench && c.model === m)
    expect(cell('qa', 'A')).toMatchObject({ n: 40, mean: 0.75, dropped: 0 })
    expect(cell('notes', 'A')).toMatchObject({ n: 25, dropped: 5 })
    expect(cell('qa', 'A').ci.lo).toBeLessThan(0.75)
    const qa = out.pairwise.find((p: { id: string }) => p.id === 'qa')
    // 2 · P(Bin(14, ½) ≤ 2) = 2 · (1 + 14 + 91) / 16384
    expect(qa.test).toBe('mcnemar-exact')
    expect(qa.p).toBeCloseTo((2 * 106) / 16384, 12)
    expect(qa.difference).toBeCloseTo(0.25, 12)
    const notes = out.pairwise.find((p: { id: string }) => p.id === 'notes')
    expect(notes.test).toBe('sign-flip-permutation')
    // Holm over 2 comparisons.
    const sorted = [qa.p, notes.p].sort((x: number, y: number) => x - y)
    expect(Math.min(qa.pAdjusted, notes.pAdjusted)).toBeCloseTo(Math.min(1, 2 * sorted[0]), 12)
    expect(qa.adjustMethod).toBe('Holm')
    expect(out.benchmarks.find((x: { benchmark: string }) => x.benchmark === 'notes').dropped).toEqual([
      { model: 'A', dropped: 5 },
    ])

    const again = await cli('stats', 'compare', path, '--json')
    expect(again.stdout).toBe(r.stdout) // seeded
    const bh = JSON.parse((await cli('stats', 'compare', path, '--adjust', 'bh', '--json')).stdout)
    expect(bh.pairwise[0].adjustMethod).toBe('Benjamini–Hochberg')

    const text = await cli('stats', 'compare', path)
    expect(text.stdout).toContain('Note: notes: compared on the 25 instances every model has; dropped A 5.')
    expect(text.stdout).toMatch(
      /Significant: A scores higher than B on qa: \+0\.25 \[0\.\d\d, 0\.\d\d\], Holm-adjusted p = 0\.0\d+/,
    )
  })

  it('refuses bad input with the line and column, printing no result', async () => {
    const head = 'benchmark,instance_id,model,score'
    const cases: [string, RegExp][] = [
      ['benchmark,instance_id,model\nqa,1,A\n', /line 1: missing column score/],
      [`${head}\nqa,1,A,1\nqa,1,B,oops\n`, /line 3, column "score" \(4\): not a number/],
      [
        `${head}\nqa,1,A,1\nqa,1,B,0\nqa,1,A,0\n`,
        /line 4: duplicate row — the same benchmark, instance_id and model as line 2/,
      ],
      [`${head}\nqa,1,A,1\nqa,2,A,0\n`, /at least two models in column "model"; found 1/],
      [`${head}\nqa,1,A,1\nqa,1,B,0\nrx,1,A,1\n`, /model B has no instances on benchmark rx/],
      [`${head}\nqa,1,A,1\nqa,2,B,0\n`, /on benchmark qa no instance_id is scored for every model/],
      [`${head}\nqa,1,,1\n`, /line 2, column "model" \(3\): empty/],
      [`${head}\nqa,1,A,1,9\n`, /line 2: 5 fields where the header has 4/],
    ]
    for (const [text, message] of cases) {
      const r = await cli('stats', 'compare', file('bad-scores.csv', text))
      expect(r.code, text).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(message)
      expect(r.stderr).not.toContain('oops')
    }
    expect((await cli('stats', 'compare', join(dir, 'nope.csv'))).stderr).toMatch(/file not found/)
    expect(
      (await cli('stats', 'compare', file('ok.csv', `${head}\nqa,1,A,1\nqa,1,B,0\n`), '--adjust', 'bonf'))
        .code,
    ).toBe(2)
  })
})

describe('stats power', () => {
  it("gives Connor's example and the reverse question", async () => {
    const r = await cli('stats', 'power', '--discordance', '0.2', '--difference', '0.1', '--json')
    expect(JSON.parse(r.stdout)).toMatchObject({ n: 155, discordance: 0.2, alpha: 0.05, power: 0.8 })
    const text = await cli('stats', 'power', '--baseline', '0.7', '--difference', '0.1')
    expect(text.stdout).toMatch(
      /score both models on 296 of the same instances \(discordant share 0\.38, assuming independent errors\)/,
    )
    const rev = await cli('stats', 'power', '--discordance', '0.2', '--n', '155')
    expect(rev.stdout).toMatch(/155 paired instances per benchmark can detect differences of about 0\.10/)
    const bad = await cli('stats', 'power', '--baseline', '1.5', '--difference', '0.1')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--baseline: "1.5" is not an accuracy between 0 and 1')
    expect((await cli('stats', 'power', '--difference', '0.1')).stderr).toMatch(/give a baseline accuracy/)
  })
})
