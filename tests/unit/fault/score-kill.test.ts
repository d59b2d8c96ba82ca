import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import {
  FAKE_MODELS,
  JUDGE_KEYS,
  completedRun,
  isJudgePrompt,
  openInstances,
  openManifest,
  verdict,
} from '../jury-run/helpers'
import { countOf, exitOf, killWhen, look, seededMoments, spawnCli } from './helpers'

/**
 * SIGKILL at seeded moments during a scoring pass (`score <runId>` in a child process, the judges
 * on the fake server here): every vote committed before a kill stays as it was, none is half
 * written, and running the pass again finishes it with exact counts — then a further pass sends nothing.
 */

const ITEMS = 16
const CRITERIA = 3
const VOTES = ITEMS * JUDGE_KEYS.length * CRITERIA
const SEED = 13
let ctx: TempContext
let fake: FakeOllama

beforeEach(async () => {
  fake = await startFakeOllama({
    models: FAKE_MODELS,
    answer: async (req) => {
      const c = /Case (\d+):/.exec(req.messages[0]?.content ?? '')![1]
      if (!isJudgePrompt(req)) return `Rest and drink fluids for condition ${c}.`
      await new Promise((r) => setTimeout(r, 30))
      return verdict(4, 3, 5)
    },
  })
  ctx = tempContext({ OLLAMA_HOST: fake.url, WARDEVAL_NO_SAMPLES: '1' })
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

const judgeChats = () =>
  fake.requests.filter(
    (r) => r.path === '/api/chat' && (r.body as { model: string }).model.startsWith('judge-'),
  ).length

const votes = (dbPath: string) =>
  look(
    dbPath,
    (db) =>
      new Map(
        (
          db.prepare('SELECT id, run_item_id, judge_key, criterion, score FROM jury_votes').all() as {
            id: number
            run_item_id: number
            judge_key: string
            criterion: string
            score: number
          }[]
        ).map((v) => [`${v.run_item_id}|${v.judge_key}|${v.criterion}`, `${v.id}:${v.score}`]),
      ),
  )

describe('a scoring pass killed with SIGKILL at seeded moments', () => {
  it(
    'keeps every committed vote, and a new pass completes it with exact counts',
    { timeout: 90_000 },
    async () => {
      const runId = await completedRun(
        ctx,
        openManifest('kill_qa', [{ name: 'jury', main: true }]),
        openInstances(ITEMS),
        ctx.dir,
      )
      const env = { OLLAMA_HOST: fake.url }
      const args = ['score', String(runId), '--judges', JUDGE_KEYS.join(',')]
      const moments = seededMoments(SEED, 'score-kill', 3, 9, VOTES - 9)
      const kept: Map<string, string>[] = []
      for (const at of moments) {
        const child = spawnCli(ctx.dbPath, args, env)
        const killed = await killWhen(
          child,
          () => countOf(ctx.dbPath, 'SELECT COUNT(*) AS n FROM jury_votes') >= at,
        )
        expect(killed, child.out()).toBe(true)
        const committed = votes(ctx.dbPath)
        expect(committed.size).toBeGreaterThanOrEqual(at)
        expect(committed.size).toBeLessThan(VOTES)
        // A judge's answer is written whole: all three criteria of a judge and item, or none.
        expect(committed.size % CRITERIA).toBe(0)
        kept.push(committed)
      }
      const last = spawnCli(ctx.dbPath, [...args, '--json'], env)
      expect(await exitOf(last), last.out()).toEqual({ code: 0, signal: null })

      const final = votes(ctx.dbPath)
      for (const snapshot of kept) for (const [key, vote] of snapshot) expect(final.get(key)).toBe(vote)
      expect(final.size).toBe(VOTES)
      expect(countOf(ctx.dbPath, "SELECT COUNT(*) AS n FROM jury_votes WHERE status = 'valid'")).toBe(VOTES)
      expect(
        countOf(ctx.dbPath, "SELECT COUNT(*) AS n FROM scores WHERE metric = 'jury' AND status = 'ok'"),
      ).toBe(ITEMS)
      // (4 + 3 + 5) / 3 = 4 for every item.
      expect(
        countOf(ctx.dbPath, "SELECT COUNT(*) AS n FROM scores WHERE metric = 'jury' AND value = 4"),
      ).toBe(ITEMS)
      const sent = judgeChats()
      expect(sent).toBeGreaterThanOrEqual(ITEMS * JUDGE_KEYS.length)

      // Nothing is left to do: another pass sends no judge request.
      const again = spawnCli(ctx.dbPath, args, env)
      expect(await exitOf(again), again.out()).toEqual({ code: 0, signal: null })
      expect(judgeChats()).toBe(sent)
    },
  )
})
