import { describe, expect, it } from 'vitest'
import { Leaderboard } from '../../../src/shared/api/leaderboard'
import { runCliCaptured } from '../../support/cli'
import { tempContext } from '../../support/context'
import { useWorld } from './world-hooks'

const world = useWorld({ forCli: true })

const cli = (...args: string[]) =>
  runCliCaptured(['--db', world.ctx.dbPath, ...args], { env: { OLLAMA_HOST: world.fake.url } })

describe('leaderboard and prices CLI', () => {
  it('prices set / prices / prices remove, with usage errors for bad amounts and keys', async () => {
    expect((await cli('prices')).stdout).toMatch(/^No prices set\. Set one with: prices set/)
    const set = await cli('prices', 'set', 'ollama/alpha', '--input', '2', '--output', '10')
    expect(set.code, set.stderr).toBe(0)
    expect(set.stdout).toBe('Price of ollama/alpha: $2 per 1M input tokens, $10 per 1M output tokens.\n')
    const list = await cli('prices', '--json')
    expect(JSON.parse(list.stdout)).toEqual([
      { modelKey: 'ollama/alpha', inputPerMTok: 2, outputPerMTok: 10, updatedAt: expect.any(String) },
    ])
    expect((await cli('prices')).stdout).toMatch(/ollama\/alpha\s+2\s+10/)

    const bad = await cli('prices', 'set', 'ollama/alpha', '--input', '-1', '--output', '1')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--input: "-1" is not an amount in USD per 1M tokens')
    const badKey = await cli('prices', 'set', 'alpha', '--input', '1', '--output', '1')
    expect(badKey.code).toBe(2)
    expect(badKey.stderr).toContain('modelKey: write a model key as <endpoint>/<model>')
    expect((await cli('prices', 'set', 'ollama/beta', '--input', '1')).code).toBe(2)

    await cli('prices', 'set', 'ollama/beta', '--input', '1', '--output', '1')
    expect((await cli('prices', 'remove', 'ollama/beta')).stdout).toBe('Removed the price of ollama/beta.\n')
    const gone = await cli('prices', 'remove', 'ollama/beta')
    expect(gone.code).toBe(1)
    expect(gone.stderr).toContain('error (not_found): prices: no price is set for ollama/beta')
  })

  it('leaderboard prints the ranked table, the cells with their counts and the caveats', async () => {
    await cli('prices', 'set', 'ollama/judge-a', '--input', '1', '--output', '2')
    const r = await cli('leaderboard')
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toBe('Leaderboard over 3 benchmarks, runs 4, 3, 2, 1')
    expect(lines[1]).toBe(
      'Paired view (common instances); 95% percentile bootstrap, 2000 resamples, seed 20261204; p adjusted by Holm over 7 comparisons.',
    )
    expect(lines[3]).toMatch(
      /^rank\s+rank interval\s+tie group\s+model\s+mean win rate\s+95% CI\s+macro-average\s+95% CI\s+Clinical Decision Support\s+Clinical Note Generation\s+Patient Communication/,
    )
    expect(lines[5]).toMatch(
      /^1\s+1–1\s+1\s+ollama\/alpha\s+0\.667\s+\[0\.\d\d, 0\.\d\d\]\s+0\.750 ± 0\.250\s+\[0\.\d\d, 0\.\d\d\]\s+1\.000\s+0\.500\s+0\.750\s+0\.10\s+1\.000\s+\$0\.036\s+\$0\.0012$/,
    )
    expect(lines[6]).toMatch(/^2\s+2–3\s+2\s+ollama\/beta\s+0\.417\s+/)
    expect(lines[6]).toContain('unknown (no price for ollama/beta)')
    expect(lines[7]).toMatch(
      /^3\s+2–3\s+2\s+ollama\/gamma\s+0\.375\s+\S+ \S+\s+0\.500 ± 0\.000\s+\S+ \S+\s+0\.500\s+-\s+0\.500/,
    )
    expect(lines[7]).toContain('unknown (8 without token counts; no price for ollama/gamma)')
    // Paired: notes is compared on the one instance all three have scored.
    expect(r.stdout).toMatch(/notes\s+jury\s+ollama\/beta\s+3\s+2\.000\s+-\s+1\s+0\.250\s+1\/2\s+1\s+0\s+0/)
    expect(r.stdout).toMatch(/mc_a\s+exact_match\s+ollama\/beta\s+1\s+0\.500\s+\[0\.\d+, 0\.\d+\] wide\s+6/)
    expect(r.stdout).toContain(
      'Note: Patient questions notes: the models were scored on different instances; compared on the 1 they all have (dropped: ollama/alpha 1).',
    )
    expect(r.stdout).toContain('No pair of models differs significantly on this data.')
    expect(r.stdout).toContain('Note: 2 of 8 cells are partial')
  })

  it('--runs and --category choose what is compared; --json gives the whole leaderboard', async () => {
    const r = await cli('leaderboard', '--runs', '1,2,3', '--category', 'clinical_decision_support', '--json')
    expect(r.code, r.stderr).toBe(0)
    const lb = Leaderboard.parse(JSON.parse(r.stdout))
    expect(lb.runIds).toEqual([1, 2, 3])
    expect(lb.columns.map((c) => c.key)).toEqual(['mc_a:exact_match'])
    // Run 1: alpha 1, beta 0.5, gamma 0.
    expect(lb.rows.map((x) => [x.modelKey, x.winRate])).toEqual([
      ['ollama/alpha', 1],
      ['ollama/beta', 0.5],
      ['ollama/gamma', 0],
    ])
  })

  it('--json: per cell n, CI and instance-set hash; per model rank interval and tie group; pairwise results', async () => {
    const r = await cli('leaderboard', '--json')
    const lb = Leaderboard.parse(JSON.parse(r.stdout))
    expect(lb.statistics).toMatchObject({
      view: 'paired',
      resamples: 2000,
      adjust: 'holm',
      adjustName: 'Holm',
      droppedInstances: 1,
    })
    const cell = (col: string, m: string) => lb.cells.find((c) => c.columnKey === col && c.modelKey === m)!
    const notes = lb.columns.find((c) => c.key === 'notes:jury')!
    expect(notes.pairing).toEqual({
      common: 1,
      mixed: true,
      dropped: [{ modelKey: 'ollama/alpha', dropped: 1 }],
      binary: false,
    })
    expect(cell('notes:jury', 'ollama/alpha')).toMatchObject({ n: 1, value: 4, ci: null })
    // Same instances → same hash.
    const hashes = new Set(
      ['ollama/alpha', 'ollama/beta', 'ollama/gamma'].map((m) => cell('notes:jury', m).instanceSetHash),
    )
    expect(hashes.size).toBe(1)
    const beta = cell('mc_a:exact_match', 'ollama/beta')
    expect(beta.n).toBe(6)
    expect(beta.ci!.lo).toBeLessThan(0.5)
    expect(beta.ci!.hi).toBeGreaterThan(0.5)
    expect(beta.wide).toBe(true)
    expect(lb.rows[0]).toMatchObject({
      modelKey: 'ollama/alpha',
      rankInterval: { lo: 1, hi: 1 },
      tieGroup: 1,
      notSeparableFrom: [],
    })
    expect(lb.rows[1]!.notSeparableFrom).toEqual(['ollama/gamma'])
    expect(lb.rows[1]!.tieGroup).toBe(lb.rows[2]!.tieGroup)
    // mc_a: alpha right on all 6, beta on 3 → McNemar b = 3, c = 0 → p = 2 · 0.5³ = 0.25.
    const pair = lb.pairwise.find(
      (p) => p.id === 'mc_a:exact_match' && p.modelA === 'ollama/alpha' && p.modelB === 'ollama/beta',
    )!
    expect(pair).toMatchObject({
      test: 'mcnemar-exact',
      n: 6,
      difference: 0.5,
      adjustMethod: 'Holm',
      significant: false,
    })
    expect(pair.p).toBeCloseTo(0.25, 12)
    expect(pair.pAdjusted).toBeGreaterThanOrEqual(pair.p!)
    expect(lb.pairwise.some((p) => p.test === 'sign-flip-permutation')).toBe(true)
    // Seeded: the same data gives the same intervals; another seed may not.
    expect((await cli('leaderboard', '--json')).stdout).toBe(r.stdout)

    const un = Leaderboard.parse(
      JSON.parse((await cli('leaderboard', '--unpaired', '--adjust', 'bh', '--json')).stdout),
    )
    expect(un.statistics).toMatchObject({
      view: 'unpaired',
      adjustName: 'Benjamini–Hochberg',
      droppedInstances: 0,
    })
    expect(un.cells.find((c) => c.columnKey === 'notes:jury' && c.modelKey === 'ollama/alpha')).toMatchObject(
      { n: 2, value: 4 },
    )
    expect(un.pairwise.every((p) => p.test === 'none' && p.p === null)).toBe(true)
    expect(un.notes[0]).toMatch(/^Unpaired view: each model is scored on its own instances/)
    expect((await cli('leaderboard', '--adjust', 'bonferroni')).code).toBe(2)
  })

  it('usage errors and unknown runs or categories exit non-zero and say what is wrong', async () => {
    const bad = await cli('leaderboard', '--runs', '1,x')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--runs: "x" is not a run id')
    const missing = await cli('leaderboard', '--runs', '42')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('error (not_found): leaderboard: there is no run 42 in this database')
    const cat = await cli('leaderboard', '--category', 'nope')
    expect(cat.code).toBe(1)
    expect(cat.stderr).toContain('no taxonomy category "nope"')
  })

  it('an empty database says what to do next', async () => {
    const empty = tempContext()
    try {
      const r = await runCliCaptured(['--db', empty.dbPath, 'leaderboard'])
      expect(r.code).toBe(0)
      expect(r.stdout).toBe(
        'No run is scored yet. Run models on benchmarks (`run`), score the run (`score <runId>`), then look again.\n',
      )
    } finally {
      empty.dispose()
    }
  })
})
