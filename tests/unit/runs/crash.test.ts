import { spawn, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../../src/main/cli/program'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { goldOf, importPack, mcInstances, mcManifest } from './helpers'

/**
 * Durability for real: the CLI runs in a child process that is killed with SIGKILL in the middle
 * of the run (twice), and `run resume` finishes it. Nothing completed is lost or sent again.
 */

const ROOT = resolve(__dirname, '../../..')
const N = 160

let ctx: TempContext
let fake: FakeOllama

beforeEach(async () => {
  fake = await startFakeOllama({
    answer: async (req) => {
      // Slow enough that the first plain progress line (after 250 ms) comes well before the end.
      await new Promise((r) => setTimeout(r, 20))
      return goldOf(req.lastUser)
    },
  })
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  await importPack(ctx, ctx.dir, mcManifest('crash_mc'), mcInstances(N))
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

function cli(args: string[]): ChildProcess {
  // One process (node with tsx's loader), so SIGKILL hits the process that runs the run.
  return spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/main/cli/main.ts'), '--db', ctx.dbPath, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, OLLAMA_HOST: fake.url, WARDEVAL_DB: ctx.dbPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
}

interface Snapshot {
  done: Map<number, number>
  requests: number
}

/** What a separate connection sees committed: done items → their response ids. */
function snapshot(runId: number): Snapshot {
  const db = new Database(ctx.dbPath, { readonly: true })
  try {
    const rows = db
      .prepare("SELECT id, response_id FROM run_items WHERE run_id = ? AND status = 'done'")
      .all(runId) as { id: number; response_id: number }[]
    const requests = (
      db
        .prepare(
          'SELECT COUNT(*) AS n FROM requests q JOIN run_items ri ON ri.id = q.run_item_id WHERE ri.run_id = ?',
        )
        .get(runId) as { n: number }
    ).n
    return { done: new Map(rows.map((r) => [r.id, r.response_id])), requests }
  } finally {
    db.close()
  }
}

async function killWhen(
  child: ChildProcess,
  runId: () => number | null,
  atLeast: number,
  ready = () => true,
): Promise<Snapshot> {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  for (let i = 0; i < 1500; i++) {
    const id = runId()
    if (id !== null && snapshot(id).done.size >= atLeast && ready()) break
    await new Promise((r) => setTimeout(r, 20))
  }
  child.kill('SIGKILL')
  await exited
  const after = snapshot(runId()!)
  // Nothing runs on after the kill.
  await new Promise((r) => setTimeout(r, 200))
  expect(snapshot(runId()!).done.size).toBe(after.done.size)
  return after
}

const chatPrompts = (from = 0) =>
  fake.requests
    .slice(from)
    .filter((r) => r.path === '/api/chat')
    .map((r) => (r.body as { messages: { content: string }[] }).messages[0]!.content)

function promptsOf(itemIds: Iterable<number>): Set<string> {
  const q = ctx.db.prepare('SELECT q.prompt FROM requests q WHERE q.run_item_id = ?')
  return new Set([...itemIds].map((id) => (q.get(id) as { prompt: string }).prompt))
}

describe('a run killed with SIGKILL', () => {
  it(
    'resumes with `run resume <id>` and neither loses nor repeats a completed instance',
    { timeout: 120_000 },
    async () => {
      let out = ''
      const first = cli([
        'run',
        '--benchmark',
        'crash_mc',
        '--model',
        'ollama/llama3.2:3b',
        '--concurrency',
        '4',
      ])
      first.stdout!.on('data', (d: Buffer) => (out += d.toString()))
      const idOf = () => {
        const m = /Run (\d+) started/.exec(out)
        return m ? Number(m[1]) : null
      }
      const progressLine = /run \d+: \d+% \d+\/160/
      // Killed once 30 items are done and a progress line was printed (requests are fast enough that
      // 30 items can finish before the first line).
      const afterFirstKill = await killWhen(first, idOf, 30, () => progressLine.test(out))
      const runId = idOf()!
      expect(afterFirstKill.done.size).toBeGreaterThanOrEqual(30)
      expect(afterFirstKill.done.size).toBeLessThan(N)
      // Plain progress lines on a pipe (no terminal).
      expect(out).toMatch(progressLine)

      // The dead process left the run 'running'; it is seen as interrupted.
      let listed = ''
      expect(
        await runCli(['--db', ctx.dbPath, 'runs'], {
          stdout: (s) => (listed += s),
          stderr: () => {},
          env: { OLLAMA_HOST: fake.url },
          isTTY: false,
        }),
      ).toBe(0)
      expect(listed).toMatch(new RegExp(`${runId}\\s+running \\(interrupted\\)`))

      // Resume in another child, and kill that one too.
      let sent = fake.requests.length
      const second = cli(['run', 'resume', String(runId)])
      const afterSecondKill = await killWhen(second, () => runId, afterFirstKill.done.size + 30)
      for (const [item, response] of afterFirstKill.done)
        expect(afterSecondKill.done.get(item)).toBe(response)
      const resentAfterFirst = chatPrompts(sent).filter((p) => promptsOf(afterFirstKill.done.keys()).has(p))
      expect(resentAfterFirst).toEqual([])

      // Finish in this process.
      sent = fake.requests.length
      let text = ''
      const code = await runCli(['--db', ctx.dbPath, 'run', 'resume', String(runId)], {
        stdout: (s) => (text += s),
        stderr: (s) => (text += s),
        env: { OLLAMA_HOST: fake.url },
        isTTY: false,
      })
      expect(code, text).toBe(0)
      expect(text).toMatch(new RegExp(`Run ${runId} completed: 160/160 done, 0 failed`))
      const end = snapshot(runId)
      expect(end.done.size).toBe(N)
      // Exactly one committed request per instance, and completed answers were kept as they were.
      expect(end.requests).toBe(N)
      for (const [item, response] of afterSecondKill.done) expect(end.done.get(item)).toBe(response)
      const resentAfterSecond = chatPrompts(sent).filter((p) => promptsOf(afterSecondKill.done.keys()).has(p))
      expect(resentAfterSecond).toEqual([])
      // Every instance was asked at least once; only what was not yet committed at a kill was asked
      // twice: per worker slot (4), a request in flight and an answer waiting for its commit
      // (a worker sends its next request while its last result commits) — at two kills.
      const all = chatPrompts()
      expect(new Set(all).size).toBe(N)
      expect(all.length - N).toBeLessThanOrEqual(2 * 2 * 4)
      const scored = ctx.db
        .prepare(
          "SELECT COUNT(*) AS n FROM scores s JOIN run_items ri ON ri.id = s.run_item_id WHERE ri.run_id = ? AND s.status = 'ok' AND s.value = 1",
        )
        .get(runId) as { n: number }
      expect(scored.n).toBe(N)
    },
  )
})
