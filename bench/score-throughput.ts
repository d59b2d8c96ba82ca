/**
 * Scoring-pass throughput: `npx tsx bench/score-throughput.ts [--items 1000] [--concurrency 16]`
 *
 * A completed run of N open-ended answers is scored by three judges (MedHELM's jury) served by
 * the loopback Ollama-compatible test server (tests/support/fake-ollama.ts, in its own process,
 * answering every judge at once with a valid verdict). Prints judge calls per second end to end —
 * judge prompt, request through the egress guard (audited), the judge request recorded, strict
 * parsing, votes committed, the jury score — against the transport alone (the same judge prompts
 * through the same ChatClient at the same concurrency), and the ratio. Both are measured after a
 * warm-up (`--warm-up 1000` requests through the transport). Figures only; nothing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { arg, mb, measured, ratePerSecond, startServer, warmUp } from './support'

async function serve(): Promise<void> {
  const { startFakeOllama } = await import('../tests/support/fake-ollama')
  const h = await import('../tests/unit/jury-run/helpers')
  const fake = await startFakeOllama({
    models: h.FAKE_MODELS,
    answer: (req) =>
      h.isJudgePrompt(req)
        ? h.verdict(4, 3, 5)
        : `Rest and drink fluids for condition ${h.caseOf(req.lastUser)}.`,
  })
  process.stdout.write(JSON.stringify({ url: fake.url }) + '\n')
  setInterval(() => {
    fake.requests.length = 0
  }, 1000).unref()
  process.stdin.resume()
  process.stdin.on('end', () => void fake.close().then(() => process.exit(0)))
}

async function main(): Promise<void> {
  const n = arg('--items', 1000)
  const concurrency = arg('--concurrency', 16)
  const dir = mkdtempSync(join(tmpdir(), 'wardeval-bench-score-'))
  const server = await startServer(__filename)
  try {
    const { createAppContext } = await import('../src/main/app/context')
    const h = await import('../tests/unit/jury-run/helpers')
    const { scoreRun } = await import('../src/main/jury/run/score-run')
    const { chatClientFor } = await import('../src/main/models/clients')
    const { buildJudgePrompt, judgeResponseSchema } = await import('../src/main/jury/prompt')
    const { STANDARD_JURY_CRITERIA } = await import('../src/main/jury/criteria')
    const ctx = createAppContext({ dbPath: join(dir, 'bench.db'), env: { OLLAMA_HOST: server.url } })
    const runId = await h.completedRun(
      ctx,
      h.openManifest('bench_qa', [{ name: 'jury', main: true }]),
      h.openInstances(n),
      dir,
    )
    // The judges' endpoint exists once the run has used it: its concurrency is set now (set
    // before, it changed nothing and the pass ran at the default 4 against a transport at 16).
    const set = ctx.db.prepare('UPDATE endpoints SET concurrency = ?').run(concurrency).changes
    if (set === 0) throw new Error('no endpoint to set the concurrency of')

    // The transport alone: the same judge prompts through the same ChatClient.
    const { client, model } = chatClientFor(ctx, h.JUDGE_KEYS[0]!)
    const criteria = [...STANDARD_JURY_CRITERIA]
    const judgePrompt = (c: number) =>
      buildJudgePrompt({
        input: `Case ${c}: what should the patient do about condition ${c}?`,
        response: `Rest and drink fluids for condition ${c}.`,
        gold: `Rest and drink fluids for condition ${c}.`,
        criteria,
        task: 'a response to a task of the bench benchmark',
      })
    const transport = (i: number) =>
      client.chat(
        {
          model,
          messages: [{ role: 'user', content: judgePrompt(i % n) }],
          options: { temperature: 0, numPredict: 4096 },
          json: true,
          jsonSchema: judgeResponseSchema(criteria),
        },
        {
          purpose: {
            kind: 'judge',
            runId: 0,
            benchmark: 'bench_floor',
            instanceId: i,
            judgeKey: h.JUDGE_KEYS[0]!,
          },
        },
      )
    const warmed = await warmUp(concurrency, transport)
    const {
      result,
      seconds,
      cpu,
      peakRss: peak,
    } = await measured(() => scoreRun(ctx, runId, { judges: h.JUDGE_KEYS }))
    const calls = result.pass.judgeRequests
    const ours = calls / seconds
    console.log(
      `WardEval scoring pass: ${n} items × ${h.JUDGE_KEYS.length} judges, endpoint concurrency ${concurrency}, loopback fake Ollama in its own process (after a warm-up of ${warmed} requests through the transport)`,
    )
    console.log(`  ${calls} judge calls, ${result.pass.votesWritten} votes written`)
    console.log(
      `  ${seconds.toFixed(2)} s  →  ${ours.toFixed(0)} judge calls/s (prompt, request via egress guard + audit row, judge request row, parse, votes, jury score)`,
    )
    console.log(
      `  CPU of this process: ${((cpu.user + cpu.system) / 1000 / calls).toFixed(2)} ms per judge call (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores); peak RSS ${mb(peak)}`,
    )

    const floor = await ratePerSecond(Math.min(calls, 3000), concurrency, transport)
    console.log(
      `  transport alone (same ChatClient, no pass): ${floor.toFixed(0)} requests/s → the pass runs at ${((ours / floor) * 100).toFixed(0)}% of it (goal: 75% or more)`,
    )
    ctx.close()
  } finally {
    server.child.stdin!.end()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv.includes('--serve')) void serve()
else
  main().catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
