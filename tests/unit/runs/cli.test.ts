import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { progressLine } from '../../../src/main/cli/commands/runs'
import { RunDetail, RunManifest, RunSummary } from '../../../src/shared/api/runs'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { goldOf, importPack, mcInstances, mcManifest } from './helpers'
import { runCliCaptured } from '../../support/cli'

let ctx: TempContext
let fake: FakeOllama

beforeEach(async () => {
  fake = await startFakeOllama({ answer: (req) => goldOf(req.lastUser) })
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  await importPack(ctx, ctx.dir, mcManifest('cli_mc'), mcInstances(20))
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

async function cli(args: string[], isTTY = false): Promise<{ code: number; out: string; err: string }> {
  const r = await runCliCaptured(['--db', ctx.dbPath, ...args], { env: { OLLAMA_HOST: fake.url }, isTTY })
  return { code: r.code, out: r.stdout, err: r.stderr }
}

describe('run CLI', () => {
  it('run … prints the run id, runs to completion with a progress bar on a TTY, then runs / run show / run manifest', async () => {
    const r = await cli(
      [
        'run',
        '--benchmark',
        'cli_mc',
        '--model',
        'ollama/llama3.2:3b',
        '--limit',
        '8',
        '--seed',
        '3',
        '--concurrency',
        '2',
      ],
      true,
    )
    expect(r.code, r.err).toBe(0)
    expect(r.out).toMatch(/^Run 1 started: 8 items \(cli_mc × ollama\/llama3.2:3b\)/)
    expect(r.out).toMatch(/\r\[#{28}\] 100% 8\/8 · /)
    expect(r.out).toMatch(/Run 1 completed: 8\/8 done, 0 failed, 0 from cache/)

    const list = await cli(['--json', 'runs'])
    const runs = RunSummary.array().parse(JSON.parse(list.out))
    expect(runs.map((x) => [x.id, x.status, x.counts.done])).toEqual([[1, 'completed', 8]])

    const show = await cli(['run', 'show', '1', '--json'])
    const detail = RunDetail.parse(JSON.parse(show.out))
    expect(detail.settings).toMatchObject({ limit: 8, concurrency: 2 })
    expect(detail.manifest).toMatchObject({
      seed: 3,
      counts: { done: 8, requestsSent: 8 },
      benchmarks: [{ id: 'cli_mc', sampled: 8, instanceCount: 20 }],
    })
    const human = await cli(['run', 'show', '1'])
    expect(human.out).toMatch(/cli_mc\s+ollama\/llama3.2:3b\s+8\s+0\s+8\s+exact_match\s+1.000/)
    expect(human.out).toMatch(
      /model ollama\/llama3.2:3b \(pool ollama\/llama3.2:3b\) at http:\/\/127.0.0.1:\d+, digest [0-9a-f]{64}/,
    )

    const file = join(ctx.dir, 'm.json')
    expect((await cli(['run', 'manifest', '1', '--out', file])).code).toBe(0)
    const manifest = RunManifest.parse(JSON.parse(readFileSync(file, 'utf8')))
    expect(manifest.app.name).toBe('WardEval')
    expect(manifest.run).toEqual({ id: 1, name: '', status: 'completed' })
    expect(manifest.times.finishedAt).not.toBeNull()
    expect((await cli(['run', 'manifest', '1'])).out).toMatch(/Wrote .*exports\/run-1-manifest.json/)
    expect(existsSync(join(ctx.dir, 'exports', 'run-1-manifest.json'))).toBe(true)
  })

  it('--json prints the summary as JSON and progress as plain lines on stderr; the same run again comes from the cache', async () => {
    const first = await cli(['--json', 'run', '--benchmark', 'cli_mc', '--model', 'ollama/llama3.2:3b'])
    expect(first.code, first.err).toBe(0)
    expect(RunSummary.parse(JSON.parse(first.out))).toMatchObject({
      id: 1,
      status: 'completed',
      counts: { done: 20, cached: 0 },
    })
    expect(first.err).toMatch(/run 1: 100% 20\/20/)
    fake.reset()
    const again = await cli(['--json', 'run', '--benchmark', 'cli_mc', '--model', 'ollama/llama3.2:3b'])
    expect(RunSummary.parse(JSON.parse(again.out))).toMatchObject({ id: 2, counts: { done: 20, cached: 20 } })
    expect(fake.requests).toHaveLength(0)
  })

  it('usage errors exit 2 naming the flag; cancel and pause of a finished run are refused', async () => {
    expect(await cli(['run', '--model', 'ollama/llama3.2:3b'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--benchmark: name at least one/),
    })
    expect(
      await cli(['run', '--benchmark', 'cli_mc', '--model', 'ollama/llama3.2:3b', '--limit', 'x']),
    ).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--limit: "x" is not a whole number/),
    })
    expect(await cli(['run', 'show', '99'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/No run 99/),
    })
    await cli(['run', '--benchmark', 'cli_mc', '--model', 'ollama/llama3.2:3b', '--limit', '2'])
    expect(await cli(['run', 'cancel', '1'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/Run 1 is completed; there is nothing to cancel/),
    })
    expect((await cli(['runs'])).out).toMatch(/^id\s+status/)
  })

  it('a failing run exits 1 with the reason', async () => {
    fake.inject({
      match: '/api/chat',
      fault: { type: 'status', status: 400, body: '{"error":"bad request"}' },
    })
    const r = await cli(['run', '--benchmark', 'cli_mc', '--model', 'ollama/llama3.2:3b', '--limit', '3'])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(
      /Run 1 failed: 3 of 3 items failed \(ollama\/llama3.2:3b ×3, last error: ollama: HTTP 400: .*\); resume the run to retry them/,
    )
  })

  it('formats progress lines', () => {
    const p = {
      runId: 4,
      status: 'running' as const,
      counts: { total: 200, done: 50, failed: 2, pending: 148, cached: 10 },
      groups: [],
      rate: 25,
      etaSeconds: 74,
      errors: 3,
      lastError: null,
      waitingFor: null as string | null,
      at: '',
    }
    expect(progressLine(p, false)).toBe('run 4: 26% 52/200, 2 failed, 10 cached, 25/s, ETA 1m14s')
    expect(progressLine(p, true)).toBe(
      '[#######---------------------]  26% 52/200 · 2 failed · 10 cached · 25/s · ETA 1m14s',
    )
    p.waitingFor =
      'waiting: an import of big.csv (pid 42, since 10:31:07 UTC) holds the database’s write lock'
    expect(progressLine(p, false)).toBe(
      'run 4: 26% 52/200, 2 failed, 10 cached, 25/s, ETA 1m14s, waiting: an import of big.csv (pid 42, since 10:31:07 UTC) holds the database’s write lock',
    )
  })
})
