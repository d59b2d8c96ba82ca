/**
 * Report build time: `npx tsx bench/report.ts [--models 20] [--benchmarks 37] [--instances 30]`
 *
 * Builds a database the real way — benchmark packs imported, one run of every model on every
 * benchmark through the run engine against the loopback Ollama-compatible test server (each model
 * right on a share of the questions that grows with its index), scored exact-match as it runs —
 * then times `report --out report.html`: the leaderboard with its bootstrap and pairwise tests (on
 * worker threads, as in the app), every section, the HTML and the embedded signature. Prints
 * seconds; nothing is asserted. `--keep <dir>` keeps the database there and reuses it next time. The target: 20 models × 37 benchmarks under 10 s.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppContext } from '../src/main/app/context'
import { LETTERS } from '../tests/unit/runs/helpers'
import { arg } from './support'

const M = arg('--models', 20)
const C = arg('--benchmarks', 37)
const N = arg('--instances', 30)
const PLACES = [
  ['clinical_decision_support', 'supporting_diagnostic_decisions'],
  ['clinical_note_generation', 'documenting_patient_visits'],
  ['patient_communication', 'patient_provider_messaging'],
] as const

/** Question i of benchmark b: gold letter i % 4 (the test packs' shape, tests/unit/runs/helpers.ts). */
async function writeBenchPack(dir: string, b: number): Promise<string> {
  const { mcManifest, writePack } = await import('../tests/unit/runs/helpers')
  const [category, subcategory] = PLACES[b % PLACES.length]!
  const instances = Array.from({ length: N }, (_, i) => ({
    id: `q${i}`,
    input: `Question ${i} of benchmark ${b}: which option is number ${i % 4}?`,
    choices: ['first', 'second', 'third', 'fourth'],
    references: [LETTERS[i % 4]!],
  }))
  return writePack(
    dir,
    mcManifest(`bench_${b}`, { name: `Benchmark ${b}`, taxonomy: { category, subcategory } }),
    instances,
  )
}

/** Model m answers right when a hash of (model, question) falls under its skill. */
function answer(model: string, prompt: string): string {
  const m = /Question (\d+) of benchmark (\d+)/.exec(prompt)
  const i = Number(m?.[1] ?? 0)
  const b = Number(m?.[2] ?? 0)
  const index = Number(/model-(\d+)/.exec(model)?.[1] ?? 0)
  const skill = 0.45 + (0.4 * index) / M
  const h = ((i * 2654435761 + b * 40503 + index * 97) >>> 0) % 1000
  const gold = LETTERS[i % 4]!
  return h / 1000 < skill ? gold : LETTERS[(i + 1) % 4]!
}

/** Imports the packs and runs every model on every benchmark (the database the report is built from). */
async function setup(ctx: AppContext, dir: string): Promise<void> {
  const { runImport } = await import('../src/main/benchmarks/import')
  const { startNewRun } = await import('../src/main/runs/control')
  const t = performance.now()
  for (let b = 0; b < C; b++) await runImport(ctx, { format: 'pack', path: await writeBenchPack(dir, b) })
  const { execution } = await startNewRun(ctx, {
    benchmarks: Array.from({ length: C }, (_, b) => `bench_${b}`),
    models: Array.from({ length: M }, (_, m) => `ollama/model-${m}`),
    settings: { concurrency: 32 },
  })
  const status = await execution.done
  if (status !== 'completed') throw new Error(`the run ended ${status}`)
  console.log(
    `setup (imports and a run of ${M * C * N} items): ${((performance.now() - t) / 1000).toFixed(1)} s`,
  )
}

const seconds = (t: number) => `${((performance.now() - t) / 1000).toFixed(2)} s`

async function main(): Promise<void> {
  const { startFakeOllama } = await import('../tests/support/fake-ollama')
  const { createAppContext } = await import('../src/main/app/context')
  const { sourceWorkerScripts } = await import('../src/main/app/worker-scripts')
  const { computeLeaderboardAsync } = await import('../src/main/analysis/leaderboard')
  const { gatherReportInputs } = await import('../src/main/report/inputs')
  const { writeReport } = await import('../src/main/report/write')
  const fake = await startFakeOllama({
    models: Array.from({ length: M }, (_, m) => ({ name: `model-${m}` })),
    answer: (req) => answer(req.model, req.lastUser),
  })
  // --keep <dir>: build the database there once and reuse it on the next call.
  const keepAt = process.argv.indexOf('--keep')
  const dir = keepAt >= 0 ? process.argv[keepAt + 1]! : mkdtempSync(join(tmpdir(), 'wardeval-bench-report-'))
  const reuse = existsSync(join(dir, 'bench.db'))
  const ctx = createAppContext({
    dbPath: join(dir, 'bench.db'),
    env: { OLLAMA_HOST: fake.url },
    workers: sourceWorkerScripts(),
  })
  try {
    console.log(
      `${M} models × ${C} benchmarks × ${N} instances; ${cpus().length} cores; load ${loadavg()[0]!.toFixed(1)} (other work on the machine slows every figure)`,
    )
    if (!reuse) await setup(ctx, dir)
    let t = performance.now()
    await computeLeaderboardAsync(ctx, {})
    console.log(`of which the leaderboard alone (bootstrap, pairwise tests): ${seconds(t)}`)
    t = performance.now()
    await gatherReportInputs(ctx, {})
    console.log(`of which every input of the report (leaderboard, audit verification…): ${seconds(t)}`)
    t = performance.now()
    const r = await writeReport(ctx, { out: join(dir, 'report.html') })
    console.log(
      `report (HTML, ${(statSync(r.file).size / 1024).toFixed(0)} KiB): built, rendered and signed in ${seconds(t)} (target < 10 s)`,
    )
  } finally {
    ctx.close()
    await fake.close()
    if (keepAt < 0) rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
