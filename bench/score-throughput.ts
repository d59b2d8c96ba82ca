/**
 * Scoring-pass throughput: `npx tsx bench/score-throughput.ts [--items 1000] [--concurrency 16]
 * [--rounds 5]`
 *
 * A completed run of N open-ended answers is scored by three judges (MedHELM's jury) served by
 * the loopback Ollama-compatible test server (tests/support/fake-ollama.ts, in its own process,
 * answering every judge at once with a valid verdict). Prints judge calls per second end to end —
 * judge prompt, request through the egress guard (audited), the judge request recorded, strict
 * parsing, votes committed, the jury score — against the transport alone (the same judge prompts
 * through the same ChatClient at the same concurrency, called as the pass calls it), and the ratio.
 * Both are measured after a warm-up (`--warm-up 1000` requests through the transport), in
 * alternating rounds (`--rounds 5`: the transport, then the pass over a completed run of its own,
 * whose judge prompts no earlier round cached); the ratio is the median of the rounds' ratios.
 * Figures only; nothing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { arg, mb, measured, median, ratePerSecond, startServer, warmUp } from './support'

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
    const rounds = arg('--rounds', 5)
    // One completed run per round, over a benchmark of its own: its cases name the round, so no
    // judge prompt of one round is in the cache another round filled.
    const roundCases = (round: number) =>
      h.openInstances(n).map((c) => ({ ...c, input: `${c.input} (round ${round})` }))
    const runs: number[] = []
    for (let round = 1; round <= rounds; round++)
      runs.push(
        await h.completedRun(
          ctx,
          h.openManifest(`bench_qa_${round}`, [{ name: 'jury', main: true }]),
          roundCases(round),
          dir,
        ),
      )
    // The judges' endpoint exists once the run has used it: its concurrency is set now (set
    // before, it changed nothing and the pass ran at the default 4 against a transport at 16).
    const set = ctx.db.prepare('UPDATE endpoints SET concurrency = ?').run(concurrency).changes
    if (set === 0) throw new Error('no endpoint to set the concurrency of')

    // The transport alone: the same judge prompts through the same ChatClient, called as the pass
    // calls it (the same options, the endpoint's time limit, a cancellation signal).
    const { client, model } = chatClientFor(ctx, h.JUDGE_KEYS[0]!)
    const criteria = [...STANDARD_JURY_CRITERIA]
    const cancel = new AbortController()
    const transportOf = (round: number) => {
      const cases = roundCases(round)
      return (i: number) => {
        const c = cases[i % n]!
        return client.chat(
          {
            model,
            messages: [
              {
                role: 'user',
                content: buildJudgePrompt({
                  input: c.input,
                  response: c.references[0]!,
                  gold: c.references[0]!,
                  criteria,
                  task: 'a response to a task of the bench benchmark',
                }),
              },
            ],
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
            signal: cancel.signal,
            timeoutMs: client.endpoint.timeoutMs,
          },
        )
      }
    }
    const warmed = await warmUp(concurrency, transportOf(1))
    console.log(
      `WardEval scoring pass: ${n} items × ${h.JUDGE_KEYS.length} judges, endpoint concurrency ${concurrency}, loopback fake Ollama in its own process (after a warm-up of ${warmed} requests through the transport); ${rounds} rounds, each the transport alone then the pass over a run of its own`,
    )
    const pass: number[] = []
    const floor: number[] = []
    for (let round = 1; round <= rounds; round++) {
      const calls = n * h.JUDGE_KEYS.length
      floor.push(await ratePerSecond(calls, concurrency, transportOf(round)))
      const {
        result,
        seconds,
        cpu,
        peakRss: peak,
      } = await measured(() => scoreRun(ctx, runs[round - 1]!, { judges: h.JUDGE_KEYS }))
      const sent = result.pass.judgeRequests
      pass.push(sent / seconds)
      console.log(
        `  round ${round}: transport alone ${floor[round - 1]!.toFixed(0)} requests/s; pass ${sent} judge calls, ${result.pass.votesWritten} votes written, ${seconds.toFixed(2)} s → ${pass[round - 1]!.toFixed(0)} judge calls/s (${((pass[round - 1]! / floor[round - 1]!) * 100).toFixed(0)}%); CPU ${((cpu.user + cpu.system) / 1000 / sent).toFixed(2)} ms per judge call, peak RSS ${mb(peak)}`,
      )
    }
    const ratio = median(pass.map((p, i) => p / floor[i]!))
    console.log(
      `  median: ${median(pass).toFixed(0)} judge calls/s (prompt, request via egress guard + audit row, judge request row, parse, votes, jury score); load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
    )
    console.log(
      `  transport alone (same ChatClient, same call, no pass): ${median(floor).toFixed(0)} requests/s → the pass runs at ${(ratio * 100).toFixed(0)}% of it (median of the rounds' ratios; goal: 75% or more; first round: ${((pass[0]! / floor[0]!) * 100).toFixed(0)}%)`,
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
