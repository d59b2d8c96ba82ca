/**
 * Report build time: `npx tsx bench/report.ts [--models 20] [--benchmarks 37] [--instances 30]`
 *
 * Builds a database the real way — benchmark packs imported, one run of every model on every
 * benchmark through the run engine against the loopback Ollama-compatible test server (each model
 * right on a share of the questions that grows with its index), scored exact-match as it runs —
 * then times `report --out report.html`: the leaderboard with its bootstrap and pairwise tests (on
 * worker threads, as in the app), every section, the HTML and the embedded signature. Prints
 * seconds; nothing is asserted. The target: 20 models × 37 benchmarks under 10 s.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

const M = arg('--models', 20)
const C = arg('--benchmarks', 37)
const N = arg('--instances', 30)
const LETTERS = ['A', 'B', 'C', 'D']
const PLACES = [
  ['clinical_decision_support', 'supporting_diagnostic_decisions'],
  ['clinical_note_generation', 'documenting_patient_visits'],
  ['patient_communication', 'patient_provider_messaging'],
] as const

/** Question i of benchmark b: gold letter i % 4. */
function writePack(dir: string, b: number): string {
  const folder = join(dir, `pack-${b}`)
  mkdirSync(folder, { recursive: true })
  const [category, subcategory] = PLACES[b % PLACES.length]!
  const manifest = {
    id: `bench_${b}`,
    name: `Benchmark ${b}`,
    version: '1',
    taxonomy: { category, subcategory },
    access: 'private',
    taskType: 'multiple_choice',
    prompt: {
      instructions: 'Answer with the letter only.',
      template: '{{instructions}}\n\n{{input}}\n{{choices}}',
      outputNoun: 'Answer',
      maxTokens: 1,
      temperature: 0,
      stop: ['\n'],
    },
    metrics: [{ name: 'exact_match', main: true }],
  }
  const lines = Array.from({ length: N }, (_, i) =>
    JSON.stringify({
      id: `q${i}`,
      input: `Question ${i} of benchmark ${b}: which option is number ${i % 4}?`,
      choices: ['first', 'second', 'third', 'fourth'],
      references: [LETTERS[i % 4]],
    }),
  )
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest))
  writeFileSync(join(folder, 'instances.jsonl'), lines.join('\n') + '\n')
  return folder
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

async function main(): Promise<void> {
  const { startFakeOllama } = await import('../tests/support/fake-ollama')
  const { createAppContext } = await import('../src/main/app/context')
  const { sourceWorkerScripts } = await import('../src/main/app/workers')
  const { runImport } = await import('../src/main/benchmarks/import')
  const { startNewRun } = await import('../src/main/runs/control')
  const { writeReport } = await import('../src/main/report/write')
  const models = Array.from({ length: M }, (_, m) => `model-${m}`)
  const fake = await startFakeOllama({
    models: models.map((name) => ({ name })),
    answer: (req) => answer(req.model, req.lastUser),
  })
  const dir = mkdtempSync(join(tmpdir(), 'wardeval-bench-report-'))
  const ctx = createAppContext({
    dbPath: join(dir, 'bench.db'),
    env: { OLLAMA_HOST: fake.url },
    workers: sourceWorkerScripts(),
  })
  try {
    console.log(
      `${M} models × ${C} benchmarks × ${N} instances; ${cpus().length} cores; load ${loadavg()[0]!.toFixed(1)}`,
    )
    let t = performance.now()
    for (let b = 0; b < C; b++) await runImport(ctx, { format: 'pack', path: writePack(dir, b) })
    const { execution } = await startNewRun(ctx, {
      benchmarks: Array.from({ length: C }, (_, b) => `bench_${b}`),
      models: models.map((m) => `ollama/${m}`),
      settings: { concurrency: 32 },
    })
    const status = await execution.done
    if (status !== 'completed') throw new Error(`the run ended ${status}`)
    console.log(
      `setup (imports and a run of ${M * C * N} items): ${((performance.now() - t) / 1000).toFixed(1)} s`,
    )
    for (const format of ['html'] as const) {
      t = performance.now()
      const r = await writeReport(ctx, { out: join(dir, `report.${format}`) })
      const s = (performance.now() - t) / 1000
      console.log(
        `report (${format.toUpperCase()}, ${(statSync(r.file).size / 1024).toFixed(0)} KiB): built, rendered and signed in ${s.toFixed(2)} s (target < 10 s)`,
      )
    }
  } finally {
    ctx.close()
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
