import Database from 'better-sqlite3'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Leaderboard } from '../../../src/shared/api/leaderboard'
import type { HelmExport } from '../../../src/main/export/helm'
import type { TableLeaderboard } from '../../../src/main/analysis/helm-table'
import { readCsvRecords } from '../../../src/main/csv/read'
import { runCliCaptured } from '../../support/cli'
import { useWorld } from '../analysis/world-hooks'

const world = useWorld({ forCli: true })

const cli = (...args: string[]) =>
  runCliCaptured(['--db', world.ctx.dbPath, ...args], { env: { OLLAMA_HOST: world.fake.url } })
const out = (name: string) => join(world.ctx.dir, name)

async function leaderboardJson(...args: string[]): Promise<Leaderboard> {
  const r = await cli('--json', 'leaderboard', ...args)
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as Leaderboard
}

describe('export leaderboard', () => {
  it('JSON: the very object `leaderboard --json` prints, with a meta block', async () => {
    const r = await cli('export', 'leaderboard', '--format', 'json', '--seed', '7', '--out', out('lb.json'))
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(
      /^Wrote the leaderboard \(json\) to .*lb\.json: 3 records, \d+ bytes, sha256 [0-9a-f]{64}\.\n$/,
    )
    const doc = JSON.parse(readFileSync(out('lb.json'), 'utf8')) as {
      format: string
      meta: Record<string, unknown>
      leaderboard: Leaderboard
    }
    expect(doc.format).toBe('wardeval-leaderboard')
    expect(doc.meta).toMatchObject({
      app: 'WardEval',
      version: expect.any(String),
      seed: 7,
      options: { seed: 7 },
    })
    expect(Date.parse(doc.meta.generatedAt as string)).not.toBeNaN()
    expect(doc.leaderboard).toEqual(await leaderboardJson('--seed', '7'))
  })

  it('CSV: overall, category and benchmark rows that carry the leaderboard’s numbers; read back by csv/read', async () => {
    const r = await cli('export', 'leaderboard', '--out', out('lb.csv'))
    expect(r.code, r.stderr).toBe(0)
    const lb = await leaderboardJson()
    const rows = readCsvRecords(out('lb.csv'), 'lb.csv')
    const header = rows[0]!.fields
    const data = rows.slice(1).map((x) => Object.fromEntries(header.map((h, i) => [h, x.fields[i]!])))
    expect(r.stdout).toContain(`${data.length} records`)
    expect(data.filter((d) => d.scope === 'overall')).toHaveLength(lb.rows.length)
    expect(data.filter((d) => d.scope === 'benchmark')).toHaveLength(lb.cells.length)
    for (const row of lb.rows) {
      const o = data.find((d) => d.scope === 'overall' && d.model === row.modelKey)!
      expect(Number(o.mean_win_rate)).toBeCloseTo(row.winRate!, 12)
      expect(Number(o.rank)).toBe(row.rank)
      expect(`${o.rank_low}-${o.rank_high}`).toBe(`${row.rankInterval.lo}-${row.rankInterval.hi}`)
    }
    for (const c of lb.cells) {
      const col = lb.columns.find((x) => x.key === c.columnKey)!
      const b = data.find(
        (d) => d.scope === 'benchmark' && d.model === c.modelKey && d.scope_id === col.benchmarkId,
      )!
      expect(b.value === '' ? null : Number(b.value)).toBe(c.value)
      expect(b.instance_set_hash).toBe(c.instanceSetHash ?? '')
      expect(Number(b.n)).toBe(c.n)
      expect(b.ci_low === '' ? null : Number(b.ci_low)).toBe(c.ci?.lo ?? null)
    }
  })

  it('refuses to overwrite without --force, and names the option of a bad value', async () => {
    writeFileSync(out('taken.csv'), 'keep me')
    const refused = await cli('export', 'leaderboard', '--out', out('taken.csv'))
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('--out: ')
    expect(refused.stderr).toContain('already exists; add --force to overwrite it')
    expect(readFileSync(out('taken.csv'), 'utf8')).toBe('keep me')
    expect((await cli('export', 'leaderboard', '--out', out('taken.csv'), '--force')).code).toBe(0)
    expect(readFileSync(out('taken.csv'), 'utf8')).toMatch(/^scope,scope_id,/)
    const fmt = await cli('export', 'leaderboard', '--format', 'xlsx', '--out', out('x.xlsx'))
    expect(fmt.code).toBe(2)
    expect(fmt.stderr).toContain('--format: "xlsx" is not a format here; use csv or json')
    const runs = await cli('export', 'leaderboard', '--runs', '1,x', '--out', out('y.csv'))
    expect(runs.code).toBe(2)
    expect(runs.stderr).toContain('--runs: "x" is not a run id')
    const noDir = await cli('export', 'leaderboard', '--out', join(world.ctx.dir, 'missing', 'a.csv'))
    expect(noDir.stderr).toContain('--out: the folder')
    expect(readdirSync(world.ctx.dir).some((f) => f.includes('.partial'))).toBe(false)
  })
})

describe('export helm', () => {
  for (const view of ['paired', 'unpaired'] as const) {
    it(`round trip (${view}): \`stats leaderboard\` reads the export back to the leaderboard's win rates`, async () => {
      const flags = view === 'unpaired' ? ['--unpaired'] : []
      const file = out(`helm-${view}.json`)
      const r = await cli('export', 'helm', ...flags, '--out', file)
      expect(r.code, r.stderr).toBe(0)
      const lb = await leaderboardJson(...flags)
      const doc = JSON.parse(readFileSync(file, 'utf8')) as HelmExport
      // Each run spec's main-metric mean is the leaderboard cell's value, over the same instances.
      for (const c of lb.cells) {
        const col = lb.columns.find((x) => x.key === c.columnKey)!
        const e = doc.models
          .find((m) => m.model === c.modelKey)!
          .run_specs.find((s) => s.wardeval.benchmark_id === col.benchmarkId)!
        expect(e.run_spec.name).toBe(`${col.benchmarkId}:model=${c.modelKey}`)
        expect(e.wardeval.instance_set_hash).toBe(c.instanceSetHash)
        const main = e.stats.find((s) => s.name.name === col.metric)
        expect(main?.mean ?? null).toBe(c.value)
        if (main) expect(main.count).toBe(1) // HELM's run-level stat: the instance mean, count 1
        const perInstance = e.wardeval.instance_stats.find((s) => s.name.name === col.metric)
        expect(perInstance?.count ?? 0).toBe(c.n)
      }
      const back = await cli('--json', 'stats', 'leaderboard', file)
      expect(back.code, back.stderr).toBe(0)
      const table = JSON.parse(back.stdout) as TableLeaderboard
      expect(table.models.map((m) => m.model).sort()).toEqual(lb.rows.map((r) => r.modelKey).sort())
      for (const row of lb.rows)
        expect(table.models.find((m) => m.model === row.modelKey)!.winRate).toBe(row.winRate)
    })
  }

  it('stats follow HELM’s Stat: count, sum, sum_squared, min, max, mean, population variance and stddev', async () => {
    const doc = JSON.parse(readFileSync(out('helm-unpaired.json'), 'utf8')) as HelmExport
    const alpha = doc.models.find((m) => m.model === 'ollama/alpha')!
    const notes = alpha.run_specs.find((s) => s.wardeval.benchmark_id === 'notes')!
    const jury = notes.wardeval.instance_stats.find((s) => s.name.name === 'jury')!
    expect(jury).toEqual({
      name: { name: 'jury', split: 'test' },
      count: 2,
      sum: 8,
      sum_squared: 32,
      min: 4,
      max: 4,
      mean: 4,
      variance: 0,
      stddev: 0,
    })
    const beta = doc.models
      .find((m) => m.model === 'ollama/beta')!
      .run_specs.find((s) => s.wardeval.benchmark_id === 'mc_a')!
    const em = beta.wardeval.instance_stats.find((s) => s.name.name === 'exact_match')!
    expect(em).toMatchObject({
      count: 6,
      sum: 3,
      sum_squared: 3,
      min: 0,
      max: 1,
      mean: 0.5,
      variance: 0.25,
      stddev: 0.5,
    })
    // stats.json proper: HELM's run-level stats (take_mean: the instance mean as one value).
    expect(beta.stats.find((s) => s.name.name === 'exact_match')).toEqual({
      name: { name: 'exact_match', split: 'test' },
      count: 1,
      sum: 0.5,
      sum_squared: 0.25,
      min: 0.5,
      max: 0.5,
      mean: 0.5,
      variance: 0,
      stddev: 0,
    })
    expect(notes.stats.find((s) => s.name.name === 'num_instances')).toMatchObject({ count: 1, mean: 2 })
    expect(notes.stats.find((s) => s.name.name === 'inference_runtime')!.mean).toBeCloseTo(0.1, 12)
    expect(notes.wardeval.instance_stats.find((s) => s.name.name === 'num_prompt_tokens')!.sum).toBe(2000)
    expect(notes.run_spec.groups).toEqual(['notes'])
    expect(doc.meta.seed).toBe(20261204)
  })

  it('--out a folder: HELM’s layout (<run spec>/run_spec.json, stats.json) and the whole document', async () => {
    const dir = out('helm-dir') + '/'
    const r = await cli('export', 'helm', '--out', dir)
    expect(r.code, r.stderr).toBe(0)
    const specDir = join(dir, 'mc_a_model=ollama_alpha')
    expect(JSON.parse(readFileSync(join(specDir, 'run_spec.json'), 'utf8')).name).toBe(
      'mc_a:model=ollama/alpha',
    )
    expect(JSON.parse(readFileSync(join(specDir, 'stats.json'), 'utf8'))[0].name).toEqual({
      name: 'exact_match',
      split: 'test',
    })
    expect(existsSync(join(dir, 'wardeval-helm.json'))).toBe(true)
    const again = await cli('export', 'helm', '--out', dir)
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('is not empty; add --force to write into it')
  })
})

describe('export instances and formula neutralization', () => {
  it('per-instance CSV and JSONL of a run through the CLI, --include-text needs --yes', async () => {
    const r = await cli('export', 'instances', '--run', '3', '--out', out('run3.csv'))
    expect(r.code, r.stderr).toBe(0)
    const rows = readCsvRecords(out('run3.csv'), 'run3.csv')
    expect(rows).toHaveLength(1 + 6)
    const h = rows[0]!.fields
    const gammaFailed = rows.find((x) => x.fields[h.indexOf('metric[jury].status')] === 'failed')!
    expect(gammaFailed.fields[h.indexOf('model')]).toBe('ollama/gamma')
    expect(gammaFailed.fields[h.indexOf('metric[jury]')]).toBe('')
    const tty = await runCliCaptured(
      ['--db', world.ctx.dbPath, 'export', 'instances', '--run', '3', '--out', out('run3-tty.csv')],
      { env: { OLLAMA_HOST: world.fake.url }, isTTY: true },
    )
    expect(tty.stderr).toBe('\r6 of 6 records   \n')
    const j = await cli('export', 'instances', '--run', '3', '--format', 'jsonl', '--out', out('run3.jsonl'))
    expect(j.stdout).toContain('6 records')
    expect(
      readFileSync(out('run3.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toHaveLength(6)
    const t = await cli('export', 'instances', '--run', '3', '--include-text', '--out', out('t.csv'))
    expect(t.code).toBe(2)
    expect(t.stderr).toContain('warning: Prompts and responses may contain patient data')
    expect(t.stderr).toContain('CLI: --yes')
    expect(existsSync(out('t.csv'))).toBe(false)
    const bad = await cli('export', 'instances', '--run', 'abc', '--out', out('u.csv'))
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--run: "abc" is not a whole number')
  })

  it('a model key and a benchmark id beginning with = + - @ are written as text in the leaderboard CSV', async () => {
    const db = new Database(world.ctx.dbPath)
    db.pragma('foreign_keys = OFF')
    db.exec(`UPDATE run_items SET model_key = '=ollama/alpha' WHERE model_key = 'ollama/alpha';
             UPDATE run_models SET model_key = '=ollama/alpha' WHERE model_key = 'ollama/alpha';
             UPDATE benchmarks SET id = '@mc_b' WHERE id = 'mc_b';
             UPDATE benchmark_versions SET benchmark_id = '@mc_b' WHERE benchmark_id = 'mc_b';`)
    db.close()
    const r = await cli('export', 'leaderboard', '--out', out('evil.csv'))
    expect(r.code, r.stderr).toBe(0)
    const text = readFileSync(out('evil.csv'), 'utf8')
    expect(text).not.toMatch(/(^|,)[=+@]/m)
    const rows = readCsvRecords(out('evil.csv'), 'evil.csv')
    const h = rows[0]!.fields
    expect(rows.some((x) => x.fields[h.indexOf('model')] === "'=ollama/alpha")).toBe(true)
    expect(rows.some((x) => x.fields[h.indexOf('scope_id')] === "'@mc_b")).toBe(true)
  })
})
