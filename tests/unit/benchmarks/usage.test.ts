import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { benchmarkUsage, deleteBenchmark } from '../../../src/main/benchmarks/queries'
import { ensureSamples } from '../../../src/main/benchmarks/samples'
import type { TempContext } from '../../support/context'
import { benchCtx, cli } from './helpers'

let ctx: TempContext
beforeEach(async () => {
  ctx = benchCtx({ samples: true })
  await ensureSamples(ctx)
})
afterEach(() => ctx.dispose())

/** A run of two models on the benchmark (rows only: usage reads nothing else) and a review set. */
function useIt(benchmarkId: string): number {
  const db = ctx.db
  const v = db
    .prepare('SELECT id FROM benchmark_versions WHERE benchmark_id = ? ORDER BY id DESC LIMIT 1')
    .get(benchmarkId) as { id: number }
  const run = db
    .prepare(
      `INSERT INTO runs (name, status, settings_json, seed, created_at) VALUES ('ward pilot', 'completed', '{}', 1, '2026-12-01T10:00:00Z')`,
    )
    .run().lastInsertRowid as number
  for (const m of ['ollama/b:1b', 'ollama/a:1b'])
    db.prepare('INSERT INTO run_models (run_id, model_key, model_name) VALUES (?, ?, ?)').run(run, m, m)
  db.prepare('INSERT INTO run_benchmarks (run_id, benchmark_version_id) VALUES (?, ?)').run(run, v.id)
  db.prepare(
    `INSERT INTO review_sets (run_id, benchmark_version_id, size, seed, criteria_json, created_at) VALUES (?, ?, 40, 1, '[]', '2026-12-02T10:00:00Z')`,
  ).run(run, v.id)
  return run
}

describe('what uses a benchmark', () => {
  it('lists the runs (with their models) and review sets, and the refusal names them', () => {
    expect(benchmarkUsage(ctx.db, 'pubmed_qa')).toEqual({ runs: [], reviewSets: [] })
    const run = useIt('pubmed_qa')
    const u = benchmarkUsage(ctx.db, 'pubmed_qa')
    expect(u.runs).toEqual([
      {
        id: run,
        name: 'ward pilot',
        status: 'completed',
        createdAt: '2026-12-01T10:00:00Z',
        models: ['ollama/a:1b', 'ollama/b:1b'],
      },
    ])
    expect(u.reviewSets).toEqual([{ id: 1, runId: run, size: 40, createdAt: '2026-12-02T10:00:00Z' }])
    expect(() => deleteBenchmark(ctx.db, 'pubmed_qa')).toThrow(
      `Benchmark "pubmed_qa" is used by run #${run} and review set #1; their results are evidence and keep the benchmark they were measured on`,
    )
    expect(deleteBenchmark(ctx.db, 'medec')).toBe(true)
  })

  it('is in the CLI', async () => {
    useIt('pubmed_qa')
    const r = await cli(['--db', ctx.dbPath, 'benchmarks', 'usage', 'pubmed_qa'], {})
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/ward pilot\s+completed/)
    expect(r.stdout).toMatch(/review set/)
    const free = await cli(['--db', ctx.dbPath, 'benchmarks', 'usage', 'medec'], {})
    expect(free.stdout).toMatch(/No run or review set uses medec/)
  })
})
