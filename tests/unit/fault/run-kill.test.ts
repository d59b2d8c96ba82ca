import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OPEN_INTENTS_SQL } from '../../../src/main/audit/intents'
import { runCliCaptured } from '../../support/cli'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { goldOf, importPack, mcInstances, mcManifest } from '../runs/helpers'
import { countOf, exitOf, killWhen, look, seededMoments, spawnCli } from './helpers'

/**
 * SIGKILL at seeded moments during a run (the CLI in a child process, the fake server here): after
 * each kill, what was committed stays exactly as it was; `run resume` finishes the run; in the end
 * every item has exactly one answer, one request and its score, and nothing committed was sent twice.
 */

const N = 90
const SEED = 13
let ctx: TempContext
let fake: FakeOllama

beforeEach(async () => {
  fake = await startFakeOllama({
    answer: async (req) => {
      await new Promise((r) => setTimeout(r, 25))
      return goldOf(req.lastUser)
    },
  })
  ctx = tempContext({ OLLAMA_HOST: fake.url, WARDEVAL_NO_SAMPLES: '1' })
  await importPack(ctx, ctx.dir, mcManifest('kill_mc'), mcInstances(N))
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

const doneItems = (dbPath: string) =>
  look(
    dbPath,
    (db) =>
      new Map(
        (
          db.prepare("SELECT id, response_id FROM run_items WHERE run_id = 1 AND status = 'done'").all() as {
            id: number
            response_id: number
          }[]
        ).map((r) => [r.id, r.response_id]),
      ),
  )

describe('a run killed with SIGKILL at seeded moments', () => {
  it('keeps everything committed, and resumes to exact counts', { timeout: 90_000 }, async () => {
    const env = { OLLAMA_HOST: fake.url }
    const moments = seededMoments(SEED, 'run-kill', 3, 10, N - 10)
    const kept: Map<number, number>[] = []
    let child = spawnCli(
      ctx.dbPath,
      ['run', '--benchmark', 'kill_mc', '--model', 'ollama/llama3.2:3b', '--concurrency', '3'],
      env,
    )
    for (const at of moments) {
      const killed = await killWhen(
        child,
        () => countOf(ctx.dbPath, "SELECT COUNT(*) AS n FROM run_items WHERE status = 'done'") >= at,
      )
      expect(killed, child.out()).toBe(true)
      const done = doneItems(ctx.dbPath)
      expect(done.size).toBeGreaterThanOrEqual(at)
      expect(done.size).toBeLessThan(N)
      kept.push(done)
      child = spawnCli(ctx.dbPath, ['run', 'resume', '1'], env)
    }
    expect(await exitOf(child), child.out()).toEqual({ code: 0, signal: null })

    // Nothing committed before a kill changed afterwards.
    const final = doneItems(ctx.dbPath)
    for (const snapshot of kept)
      for (const [item, response] of snapshot) expect(final.get(item)).toBe(response)
    // Exact counts: every item done once, with one request, one response and its score.
    const n = (sql: string) => countOf(ctx.dbPath, sql)
    expect(final.size).toBe(N)
    expect(n("SELECT COUNT(*) AS n FROM run_items WHERE run_id = 1 AND status <> 'done'")).toBe(0)
    expect(n('SELECT COUNT(*) AS n FROM requests')).toBe(N)
    expect(n('SELECT COUNT(DISTINCT run_item_id) AS n FROM requests')).toBe(N)
    expect(n('SELECT COUNT(*) AS n FROM responses')).toBe(N)
    expect(
      n("SELECT COUNT(*) AS n FROM scores WHERE metric = 'exact_match' AND status = 'ok' AND value = 1"),
    ).toBe(N)
    expect(
      n(
        'SELECT COUNT(*) AS n FROM run_items ri JOIN responses r ON r.id = ri.response_id JOIN requests q ON q.id = r.request_id WHERE q.run_item_id <> ri.id',
      ),
    ).toBe(0)
    // Sent again: at most what was not committed at each kill — per worker slot (3 per endpoint)
    // a request in flight and an answer waiting for its commit (a slot sends its next request
    // while its last result commits).
    const chats = fake.requests.filter((r) => r.path === '/api/chat').length
    expect(chats).toBeGreaterThanOrEqual(N)
    expect(chats).toBeLessThanOrEqual(N + 2 * 3 * moments.length)

    const show = await runCliCaptured(['--db', ctx.dbPath, '--json', 'run', 'show', '1'], { env })
    const detail = JSON.parse(show.stdout) as {
      status: string
      requests: { answered: number }
      manifest: { counts: { requestsSent: number } }
    }
    expect(detail.status).toBe('completed')
    expect(detail.requests.answered).toBe(N)
    // The audit chain is intact; requests cut off by a kill stay visible as unfinished.
    const verify = await runCliCaptured(['--db', ctx.dbPath, 'audit', 'verify'], { env })
    expect(verify.code, verify.stderr).toBe(0)
    // At most the requests not committed at each kill (as above) are unfinished.
    const unfinished = look(ctx.dbPath, (db) => db.prepare(OPEN_INTENTS_SQL).all().length)
    expect(unfinished).toBeLessThanOrEqual(2 * 3 * moments.length)
  })
})
