import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addEndpoint } from '../../../src/main/models/endpoints'
import { startNewRun } from '../../../src/main/runs/control'
import { isActive } from '../../../src/main/runs/executions'
import { runDetail } from '../../../src/main/runs/store'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { goldOf, importPack, mcInstances, mcManifest } from '../runs/helpers'
import { ROOT, countOf, exitOf } from './helpers'

/**
 * A pool of two endpoints serving the same model; one of them is a server process killed with
 * SIGKILL mid-run. Its queued and in-flight items move to the other endpoint; the run completes.
 */

const N = 150
let ctx: TempContext
let fake: FakeOllama

beforeEach(async () => {
  fake = await startFakeOllama({
    answer: async (req) => {
      await new Promise((r) => setTimeout(r, 10))
      return goldOf(req.lastUser)
    },
  })
  ctx = tempContext({ OLLAMA_HOST: fake.url, WARDEVAL_NO_SAMPLES: '1' })
  await importPack(ctx, ctx.dir, mcManifest('pool_kill'), mcInstances(N))
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

describe('a pool with one endpoint killed mid-run', () => {
  it('completes on the other endpoint, with every failed request reported', { timeout: 60_000 }, async () => {
    const server = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'tests/support/fake-ollama-server.ts'), '10'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    const url = await new Promise<string>((resolve) => {
      let out = ''
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('\n')) resolve(out.split('\n')[0]!)
      })
    })
    addEndpoint(ctx, { name: 'gpu2', url, kind: 'ollama' }, 'tester')
    const { runId, execution } = await startNewRun(ctx, {
      benchmarks: ['pool_kill'],
      models: ['ollama/llama3.2:3b', 'gpu2/llama3.2:3b'],
      settings: { concurrency: 4, maxAttempts: 2, backoffMs: 5, timeoutMs: 3000 },
    })
    const servedBy = (endpoint: string) =>
      countOf(
        ctx.dbPath,
        'SELECT COUNT(*) AS n FROM requests q JOIN endpoints e ON e.id = q.endpoint_id WHERE e.name = ?',
        endpoint,
      )
    while (servedBy('gpu2') < 25) await new Promise((r) => setTimeout(r, 5))
    server.kill('SIGKILL')
    await exitOf(server)
    const killedAt = servedBy('gpu2')

    expect(await execution.done).toBe('completed')
    const d = runDetail(ctx.db, runId, isActive(ctx.db))
    expect(d.counts).toMatchObject({ total: N, done: N, failed: 0, pending: 0 })
    expect(d.error).toBeNull()
    // What gpu2 answered before it died stays; the rest was answered by ollama, once each.
    expect(servedBy('gpu2')).toBeGreaterThanOrEqual(killedAt)
    expect(servedBy('gpu2') + servedBy('ollama')).toBe(N)
    expect(d.requests.answered).toBe(N)
    expect(d.requests.failed).toBeGreaterThan(0)
    expect(new Set(d.failedRequests.map((f) => f.endpoint))).toEqual(new Set(['gpu2']))
  })
})
