/**
 * Run-engine throughput: `npx tsx bench/run-throughput.ts [--instances 5000] [--concurrency 16]
 * [--rounds 5]`
 *
 * Against the loopback Ollama-compatible test server (tests/support/fake-ollama.ts, in its own
 * process, answering at once with the gold letter), runs N multiple-choice instances end to end —
 * prompt, request through the egress guard (audited), parse, score, commit — and the same requests
 * through the transport alone (the same ChatClient, called as the engine calls it), and prints
 * both rates and their ratio. Both are measured after a warm-up (`--warm-up 1000` requests through
 * the transport), so neither pays the process's first requests, and in alternating rounds (the
 * transport, then a run over a benchmark of its own, whose prompts no earlier round cached): the
 * rates are the medians and the ratio is the median of the rounds' ratios (each round's two figures
 * are taken one after the other, under the same load), so one slow moment of a shared machine does
 * not decide it. Then
 * runs the same prompts through promptfoo (from npm, its Ollama
 * chat provider and an `equals` assertion) against the same server with the same concurrency, and
 * prints the ratio. Figures only; nothing is asserted.
 *
 * `--rss [--rss-large 100000]`: peak RSS of a 1,000-item and a 100,000-item run (work items are
 * streamed from the database, so the two should be within 20 MB). For each size one process
 * imports the instances and creates the run, then a fresh process opens the database and only
 * executes the run: what is compared is the execution, not the import. With
 * WARDEVAL_BENCH_HEAPSNAPSHOT=<prefix> (and WARDEVAL_BENCH_HEAPSNAPSHOT_AT=<seconds,…>) the run
 * processes write V8 heap snapshots before, during and after the run.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { goldOf, LETTERS, MC_PROMPT, mcManifest } from '../tests/unit/runs/helpers'
import { arg, mb, measured, median, ratePerSecond, ROOT, startServer, TSX, warmUp } from './support'

const MODEL = 'llama3.2:3b'

// --- child: the fake server ----------------------------------------------------------------------

async function serve(): Promise<void> {
  const { startFakeOllama } = await import('../tests/support/fake-ollama')
  const fake = await startFakeOllama({ models: [{ name: MODEL }], answer: (req) => goldOf(req.lastUser) })
  process.stdout.write(JSON.stringify({ url: fake.url }) + '\n')
  // Keep only counts: 10k recorded bodies are not what is being measured.
  setInterval(() => {
    fake.requests.length = 0
  }, 1000).unref()
  process.stdin.resume()
  process.stdin.on('end', () => void fake.close().then(() => process.exit(0)))
}

// --- child: promptfoo -----------------------------------------------------------------------------

async function runPromptfoo(casesFile: string, concurrency: number): Promise<void> {
  const cases = JSON.parse(readFileSync(casesFile, 'utf8')) as { prompt: string; gold: string }[]
  const promptfoo = (await import('promptfoo')).default
  const { result, seconds, peakRss } = await measured(() =>
    promptfoo.evaluate(
      {
        prompts: ['{{prompt}}'],
        providers: [{ id: `ollama:chat:${MODEL}`, config: { temperature: 0, num_predict: 1 } }],
        tests: cases.map((c) => ({
          vars: { prompt: c.prompt },
          assert: [{ type: 'equals' as const, value: c.gold }],
        })),
        writeLatestResults: false,
      },
      { maxConcurrency: concurrency, cache: false, showProgressBar: false },
    ),
  )
  const summary = (await result.toEvaluateSummary()) as {
    stats: { successes: number; failures: number; errors: number }
  }
  process.stdout.write(JSON.stringify({ seconds, peakRss, stats: summary.stats }) + '\n')
  process.exit(0)
}

// --- parent ---------------------------------------------------------------------------------------

function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(TSX, [__filename, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT, env })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  return new Promise((ok, fail) =>
    child.on('exit', (code) =>
      code === 0
        ? ok(out)
        : fail(new Error(`exit ${code}: ${(err || out).trim().split('\n').slice(-8).join('\n')}`)),
    ),
  )
}

/**
 * A database with `rounds` benchmark packs (bench_mc, bench_mc_2, …) of N multiple-choice
 * instances each; each pack's questions name its round, so no round's prompts are in the response
 * cache another round filled.
 */
async function prepareBench(dir: string, n: number, url: string, keep = true, rounds = 1) {
  const { createAppContext } = await import('../src/main/app/context')
  const { runImport } = await import('../src/main/benchmarks/import')
  const { mkdirSync, appendFileSync } = await import('node:fs')

  const ctx = createAppContext({ dbPath: join(dir, 'bench.db'), env: { OLLAMA_HOST: url } })
  const instance = (i: number, round: number) => ({
    id: `q${i}`,
    input: `Question ${i}: a 54-year-old patient presents with symptom set ${i % 97}${round > 1 ? ` (round ${round})` : ''}. Which option is number ${i % 4}?`,
    choices: ['Immediate', 'Urgent', 'Soon', 'Routine'],
    references: [LETTERS[i % 4]!],
  })
  const instances: ReturnType<typeof instance>[][] = []
  for (let round = 1; round <= rounds; round++) {
    // The test packs' manifest and prompt (tests/unit/runs/helpers.ts), without a stop sequence.
    const manifest = mcManifest(benchmarkOf(round), {
      name: `Throughput benchmark ${round}`,
      prompt: { ...MC_PROMPT, stop: [] },
    })
    const pack = join(dir, `pack-${round}`)
    mkdirSync(pack)
    writeFileSync(join(pack, 'manifest.json'), JSON.stringify(manifest))
    // Written in slices, so a large pack is never one string in memory.
    writeFileSync(join(pack, 'instances.jsonl'), '')
    for (let from = 0; from < n; from += 10_000) {
      const to = Math.min(n, from + 10_000)
      const lines = Array.from({ length: to - from }, (_, k) => JSON.stringify(instance(from + k, round)))
      appendFileSync(join(pack, 'instances.jsonl'), lines.join('\n') + '\n')
    }
    instances.push(keep ? Array.from({ length: n }, (_, i) => instance(i, round)) : [])
    await runImport(ctx, { format: 'pack', path: pack })
  }
  return { ctx, instances }
}

const benchmarkOf = (round: number) => (round === 1 ? 'bench_mc' : `bench_mc_${round}`)

/**
 * `--rss-prepare N <url> <dir>`: imports N instances into `<dir>/bench.db` and creates the run's
 * items, then exits (prints the run id). Done in a process of its own so that what the import
 * allocated is not counted against the run.
 */
async function rssPrepare(n: number, url: string, dir: string): Promise<void> {
  const { ctx } = await prepareBench(dir, n, url, false)
  const { createRun } = await import('../src/main/runs/create')
  const { CreateRunInput } = await import('../src/shared/api/runs')
  const runId = await createRun(
    ctx,
    CreateRunInput.parse({
      benchmarks: ['bench_mc'],
      models: [`ollama/${MODEL}`],
      settings: { concurrency: 16 },
    }),
  )
  ctx.close()
  process.stdout.write(JSON.stringify({ runId }) + '\n')
  process.exit(0)
}

/** The process's resident memory by kind (anonymous, file-backed, shared: the mmapped WAL index). */
function rssKinds(): { rssAnon: number; rssFile: number; rssShmem: number } {
  const status = readFileSync('/proc/self/status', 'utf8')
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024
  return { rssAnon: kb('RssAnon'), rssFile: kb('RssFile'), rssShmem: kb('RssShmem') }
}

/**
 * `--rss-child <url> <dir> <runId>`: a fresh process that opens the prepared database and only
 * executes the run, from its first item to its end. Peak RSS is sampled during the execution;
 * the process has done nothing else before (no import), so it measures what the engine holds.
 * With WARDEVAL_BENCH_HEAPSNAPSHOT=<prefix>, writes heap snapshots before and after the run.
 */
async function rssChild(url: string, dir: string, runId: number): Promise<void> {
  const { createAppContext } = await import('../src/main/app/context')
  const { resumeRun } = await import('../src/main/runs/control')
  const snapshot = process.env.WARDEVAL_BENCH_HEAPSNAPSHOT
  const v8 = await import('node:v8')
  const ctx = createAppContext({ dbPath: join(dir, 'bench.db'), env: { OLLAMA_HOST: url } })
  global.gc?.()
  if (snapshot) v8.writeHeapSnapshot(`${snapshot}-before.heapsnapshot`)
  const before = process.memoryUsage().rss
  let peak = before
  let heapPeak = 0
  const sampler = setInterval(() => {
    const u = process.memoryUsage()
    peak = Math.max(peak, u.rss)
    heapPeak = Math.max(heapPeak, u.heapTotal)
  }, 50)
  const started = performance.now()
  const execution = resumeRun(ctx, runId)
  // Snapshots during the run (WARDEVAL_BENCH_HEAPSNAPSHOT_AT: seconds, comma-separated) show
  // what is live while it executes.
  const midway = snapshot
    ? (process.env.WARDEVAL_BENCH_HEAPSNAPSHOT_AT ?? '')
        .split(',')
        .filter(Boolean)
        .map((at) =>
          setTimeout(() => v8.writeHeapSnapshot(`${snapshot}-at${at}s.heapsnapshot`), Number(at) * 1000),
        )
    : []
  const status = await execution.done
  for (const t of midway) clearTimeout(t)
  clearInterval(sampler)
  const seconds = (performance.now() - started) / 1000
  peak = Math.max(peak, process.memoryUsage().rss)
  const m = process.memoryUsage()
  const kinds = rssKinds()
  if (snapshot) {
    global.gc?.()
    v8.writeHeapSnapshot(`${snapshot}-after.heapsnapshot`)
  }
  ctx.close()
  const heap = { heapUsed: m.heapUsed, heapPeak, external: m.external, ...kinds }
  process.stdout.write(JSON.stringify({ status, before, peak, seconds, heap }) + '\n')
  process.exit(0)
}

interface RssResult {
  n: number
  status: string
  before: number
  peak: number
  seconds: number
  heap: {
    heapUsed: number
    heapPeak: number
    external: number
    rssAnon: number
    rssFile: number
    rssShmem: number
  }
}

/** One size: a process imports and creates the run, then a fresh process executes it. */
async function rssOf(n: number, url: string): Promise<RssResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wardeval-bench-rss-'))
  try {
    const prepared = await runChild(['--rss-prepare', String(n), url, dir], process.env)
    const { runId } = JSON.parse(prepared.trim().split('\n').pop()!) as { runId: number }
    const snapshot = process.env.WARDEVAL_BENCH_HEAPSNAPSHOT
    const env = snapshot ? { ...process.env, WARDEVAL_BENCH_HEAPSNAPSHOT: `${snapshot}-${n}` } : process.env
    const out = await runChild(['--rss-child', url, dir, String(runId)], env)
    return { n, ...(JSON.parse(out.trim().split('\n').pop()!) as Omit<RssResult, 'n'>) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * `--rss`: peak RSS of a 1,000-item and a 100,000-item run. For each size, one process imports
 * the instances and creates the run's items; then a fresh process opens the database and only
 * executes the run — what is compared is the execution's peak RSS, not the import's.
 */
async function rssCompare(url: string): Promise<void> {
  const results: RssResult[] = []
  for (const n of [1000, arg('--rss-large', 100_000)]) results.push(await rssOf(n, url))
  console.log(
    'Peak RSS of a run (each run executed by a fresh process; the import is done before, in another)',
  )
  for (const r of results)
    console.log(
      `  ${r.n} items: ${r.status} in ${r.seconds.toFixed(1)} s (${(r.n / r.seconds).toFixed(0)}/s); RSS before the run ${mb(r.before)}, peak during it ${mb(r.peak)}; JS heap at the end ${mb(r.heap.heapUsed)} (peak heap ${mb(r.heap.heapPeak)}), external ${mb(r.heap.external)}; RSS anon/file/shmem at the end ${mb(r.heap.rssAnon)}/${mb(r.heap.rssFile)}/${mb(r.heap.rssShmem)}`,
    )
  const [small, large] = results
  console.log(
    `peak RSS ${large!.n} items − ${small!.n} items: ${((large!.peak - small!.peak) / 1024 / 1024).toFixed(1)} MB (goal: within 20 MB)`,
  )
}

async function main(): Promise<void> {
  const n = arg('--instances', 5000)
  const concurrency = arg('--concurrency', 16)
  const dir = mkdtempSync(join(tmpdir(), 'wardeval-bench-run-'))
  const server = await startServer(__filename)
  if (process.argv.includes('--rss')) {
    try {
      await rssCompare(server.url)
    } finally {
      server.child.stdin!.end()
      rmSync(dir, { recursive: true, force: true })
    }
    return
  }
  try {
    const rounds = arg('--rounds', 5)
    const { ctx, instances } = await prepareBench(dir, n, server.url, true, rounds)
    const { startNewRun } = await import('../src/main/runs/control')
    const { buildPrompt } = await import('../src/main/runs/prompt')
    const { runSummary } = await import('../src/main/runs/store')
    const { isActive } = await import('../src/main/runs/executions')
    // The transport alone: the same prompts through the same ChatClient (egress guard, audit row,
    // Ollama client) at the same concurrency, as the engine calls it (the same generation options,
    // the endpoint's time limit, a cancellation signal), without the engine (no prompt building,
    // cache, scoring or commits). The difference to the engine's figure is the engine's own cost.
    // The prompts the engine sends (the benchmark's MedHELM prompt of each instance).
    const casesOf = (round: number) =>
      instances[round - 1]!.map((inst) => ({
        prompt: buildPrompt(MC_PROMPT, { input: inst.input, choices: inst.choices, metadata: {} }),
        gold: inst.references[0]!,
      }))
    const { chatClientFor } = await import('../src/main/models/clients')
    const { client } = chatClientFor(ctx, `ollama/${MODEL}`)
    const cancel = new AbortController()
    const transportOf = (cases: { prompt: string }[]) => (i: number) =>
      client.chat(
        {
          model: MODEL,
          messages: [{ role: 'user', content: cases[i % cases.length]!.prompt }],
          options: { temperature: 0, numPredict: 1 },
        },
        {
          purpose: { kind: 'run', runId: 0, benchmark: 'bench_floor', instanceId: i },
          signal: cancel.signal,
          timeoutMs: client.endpoint.timeoutMs,
        },
      )
    const warmed = await warmUp(concurrency, transportOf(casesOf(1)))
    console.log(
      `WardEval run engine: ${n} multiple-choice instances, concurrency ${concurrency}, loopback fake Ollama in its own process (after a warm-up of ${warmed} requests through the transport); ${rounds} rounds, each the transport alone then a run over a benchmark of its own`,
    )
    const engine: number[] = []
    const floor: number[] = []
    for (let round = 1; round <= rounds; round++) {
      floor.push(await ratePerSecond(n, concurrency, transportOf(casesOf(round))))
      const {
        result: { runId, status },
        seconds,
        cpu,
        peakRss: peak,
      } = await measured(async () => {
        const { runId, execution } = await startNewRun(ctx, {
          benchmarks: [benchmarkOf(round)],
          models: [`ollama/${MODEL}`],
          settings: { concurrency },
        })
        return { runId, status: await execution.done }
      })
      const s = runSummary(ctx.db, runId, isActive(ctx.db))
      const countOf = (sql: string) => (ctx.db.prepare(sql).get(runId) as { n: number }).n
      const correct = countOf(
        "SELECT COUNT(*) AS n FROM scores JOIN run_items i ON i.id = scores.run_item_id WHERE i.run_id = ? AND metric = 'exact_match' AND value = 1",
      )
      // Every item asked the model (no earlier round's answer was reused from the cache).
      const sent = countOf(
        'SELECT COUNT(*) AS n FROM requests r JOIN run_items i ON i.id = r.run_item_id WHERE i.run_id = ?',
      )
      engine.push(s.counts.done / seconds)
      console.log(
        `  round ${round}: transport alone ${floor[round - 1]!.toFixed(0)} requests/s; engine ${status}, ${s.counts.done} done (${sent} requests sent), ${s.counts.failed} failed, ${correct} scored correct, ${seconds.toFixed(2)} s → ${engine[round - 1]!.toFixed(0)} instances/s (${((engine[round - 1]! / floor[round - 1]!) * 100).toFixed(0)}%); CPU ${((cpu.user + cpu.system) / 1000 / s.counts.done).toFixed(2)} ms per instance, peak RSS ${mb(peak)}`,
      )
    }
    const ours = median(engine)
    const theirs = median(floor)
    // Each round's two figures were taken one after the other, under the same load: the ratio is
    // the median of the rounds' ratios (paired), not the ratio of two medians.
    const ratio = median(engine.map((e, i) => e / floor[i]!))
    console.log(
      `  median: ${ours.toFixed(0)} instances/s (request via egress guard + audit row, parse, score, commit); load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
    )
    console.log(
      `  transport alone (same ChatClient, same call, no engine): ${theirs.toFixed(0)} requests/s → engine overhead ${Math.max(0, 1000 / ours - 1000 / theirs).toFixed(2)} ms per instance; engine at ${(ratio * 100).toFixed(0)}% of the transport (median of the rounds' ratios; goal: 75% or more; first round, the engine's first run in this process: ${((engine[0]! / floor[0]!) * 100).toFixed(0)}%)`,
    )
    const cases = casesOf(1)

    // promptfoo, same prompts, same server, same concurrency
    const casesFile = join(dir, 'cases.json')
    writeFileSync(casesFile, JSON.stringify(cases))
    ctx.close()
    const env = {
      ...process.env,
      OLLAMA_BASE_URL: server.url,
      PROMPTFOO_CONFIG_DIR: join(dir, 'promptfoo'),
      PROMPTFOO_DISABLE_TELEMETRY: '1',
      PROMPTFOO_DISABLE_UPDATE: '1',
      PROMPTFOO_DISABLE_SHARING: '1',
      PROMPTFOO_CACHE_ENABLED: 'false',
      PROMPTFOO_DISABLE_REMOTE_GENERATION: '1',
      PROMPTFOO_LOG_LEVEL: 'error',
    }
    if (process.argv.includes('--no-promptfoo')) return
    try {
      const out = await runChild(['--promptfoo', casesFile, String(concurrency)], env)
      const last = out.trim().split('\n').pop()!
      const pf = JSON.parse(last) as {
        seconds: number
        peakRss: number
        stats: { successes: number; failures: number; errors: number }
      }
      const theirs = cases.length / pf.seconds
      const pfVersion = (
        JSON.parse(readFileSync(join(ROOT, 'node_modules', 'promptfoo', 'package.json'), 'utf8')) as {
          version: string
        }
      ).version
      console.log(
        `promptfoo ${pfVersion}: same ${cases.length} prompts, maxConcurrency ${concurrency}, Ollama chat provider, equals assertion`,
      )
      console.log(`  ${pf.stats.successes} passed, ${pf.stats.failures} failed, ${pf.stats.errors} errors`)
      console.log(
        `  ${pf.seconds.toFixed(2)} s  →  ${theirs.toFixed(0)} instances/s, peak RSS ${mb(pf.peakRss)}`,
      )
      console.log(
        `ratio WardEval / promptfoo: ${(engine[0]! / theirs).toFixed(2)}× (WardEval's first round; ${(ours / theirs).toFixed(2)}× its median)`,
      )
    } catch (e) {
      console.log(`promptfoo could not be run: ${(e as Error).message}`)
    }
  } finally {
    server.child.stdin!.end()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv.includes('--serve')) void serve()
else if (process.argv.includes('--rss-prepare')) {
  const i = process.argv.indexOf('--rss-prepare')
  void rssPrepare(Number(process.argv[i + 1]), process.argv[i + 2]!, process.argv[i + 3]!)
} else if (process.argv.includes('--rss-child')) {
  const i = process.argv.indexOf('--rss-child')
  void rssChild(process.argv[i + 1]!, process.argv[i + 2]!, Number(process.argv[i + 3]))
} else if (process.argv.includes('--promptfoo')) {
  const i = process.argv.indexOf('--promptfoo')
  void runPromptfoo(process.argv[i + 1]!, Number(process.argv[i + 2]))
} else
  main().catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
