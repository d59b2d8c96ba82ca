import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { instanceScores, runScoringReport } from '../../../src/main/jury/run/report'
import { scoreRun } from '../../../src/main/jury/run/score-run'
import type { JobProgress } from '../../../src/shared/api/app'
import { startFakeOllama, type FakeOllama, type RecordedRequest } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import {
  FAKE_MODELS,
  JUDGE_KEYS,
  caseOf,
  completedRun,
  openInstances,
  openManifest,
  promptBlock,
  scriptedServer,
  verdict,
} from './helpers'

let ctx: TempContext
let fake: FakeOllama

const fenced = (s: string) => '```json\n' + s + '\n```'
const prose = (s: string) => `Here is my evaluation of the response:\n${s}\nI hope this helps.`

/**
 * Case 0: valid JSON (judge-a), fenced JSON (judge-b), prose around the JSON (judge-c).
 * Case 1: score 0 then a valid answer (a), score 6 every time (b), a non-numeric score (c).
 * Case 2: empty output (a), a timeout (b), no JSON at all (c): no valid vote.
 * Case 3: the model's own answer is empty: no judge is asked.
 */
const ANSWERS: Record<string, Record<number, string[]>> = {
  'judge-a': { 0: [verdict(4, 5, 3)], 1: [verdict(0, 4, 4), verdict(4, 4, 4)], 2: [''] },
  'judge-b': { 0: [fenced(verdict(5, 5, 4))], 1: [verdict(6, 5, 5)], 2: [verdict(3, 3, 3)] },
  'judge-c': {
    0: [prose(verdict(3, 4, 4))],
    1: [verdict('high', 4, 4)],
    2: ['I cannot evaluate this response.'],
  },
}

const judgeChats = () =>
  fake.requests.filter(
    (r) => r.path === '/api/chat' && (r.body as { model: string }).model.startsWith('judge-'),
  )
const chatsOf = (model: string, c: number) =>
  judgeChats().filter((r) => {
    const b = r.body as { model: string; messages: { content: string }[] }
    return b.model === model && caseOf(b.messages[0]!.content) === c
  })

function votes(itemId: number) {
  return ctx.db
    .prepare(
      'SELECT judge_key, criterion, score, status, explanation, raw_text, attempts FROM jury_votes WHERE run_item_id = ? ORDER BY judge_key, criterion',
    )
    .all(itemId) as {
    judge_key: string
    criterion: string
    score: number | null
    status: string
    explanation: string | null
    raw_text: string | null
    attempts: number
  }[]
}
function score(itemId: number, metric: string) {
  const r = ctx.db
    .prepare('SELECT value, status, details_json FROM scores WHERE run_item_id = ? AND metric = ?')
    .get(itemId, metric) as { value: number | null; status: string; details_json: string } | undefined
  return (
    r && { value: r.value, status: r.status, details: JSON.parse(r.details_json) as Record<string, unknown> }
  )
}
function itemIds(runId: number): number[] {
  return (
    ctx.db
      .prepare(
        'SELECT ri.id FROM run_items ri JOIN instances i ON i.id = ri.instance_id WHERE ri.run_id = ? ORDER BY i.ordinal',
      )
      .all(runId) as { id: number }[]
  ).map((r) => r.id)
}

beforeEach(async () => {
  fake = await startFakeOllama({ models: FAKE_MODELS, answer: scriptedServer(ANSWERS, [3]) })
  // Judge-b hangs on case 2: every attempt runs into the time limit.
  fake.inject({
    match: (r: RecordedRequest) => {
      const b = r.body as { model?: string; messages?: { content: string }[] } | null
      return (
        r.path === '/api/chat' &&
        b?.model === 'judge-b' &&
        (b.messages?.[0]?.content.includes('Case 2:') ?? false)
      )
    },
    fault: { type: 'hang' },
  })
  ctx = tempContext({ OLLAMA_HOST: fake.url })
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

describe('scoring a run with the LLM jury', () => {
  it('stores every judge × criterion vote, retries unusable answers twice, and scores or leaves unscored', async () => {
    const runId = await completedRun(
      ctx,
      openManifest('patient_qa', [{ name: 'jury', main: true }, { name: 'rouge_l' }, { name: 'bertscore' }]),
      openInstances(4),
      ctx.dir,
    )
    const progress: JobProgress[] = []
    ctx.events.on((channel, p) => channel === 'job:progress' && progress.push(p as JobProgress))
    fake.reset()

    const result = await scoreRun(ctx, runId, { judges: JUDGE_KEYS, requestTimeoutMs: 400 })
    const [i0, i1, i2, i3] = itemIds(runId) as [number, number, number, number]

    // Requests: one each on case 0; a 2, b 3, c 3 on case 1; three each on case 2; none on case 3.
    expect(JUDGE_KEYS.map((_, j) => [0, 1, 2, 3].map((c) => chatsOf(`judge-${'abc'[j]}`, c).length))).toEqual(
      [
        [1, 2, 3, 0],
        [1, 3, 3, 0],
        [1, 3, 3, 0],
      ],
    )
    expect(result.pass.judgeRequests).toBe(20)
    // Judges are asked for JSON (Ollama `format`) at temperature 0.
    const body = judgeChats()[0]!.body as {
      format?: unknown
      options: Record<string, unknown>
      messages: { content: string }[]
    }
    // Ollama receives the vote's JSON schema (structured outputs): scores 1–5 and an explanation per criterion.
    expect(body.format).toMatchObject({ type: 'object', required: ['accuracy', 'completeness', 'clarity'] })
    expect(body.options).toMatchObject({ temperature: 0, num_predict: 4096 })
    expect(promptBlock(body.messages[0]!.content, 'gold_response')).toMatch(
      /^Rest and drink fluids for condition/,
    )
    // A retry shows the judge its answer and what was wrong with it.
    const retry = chatsOf('judge-a', 1)[1]!.body as { messages: { role: string; content: string }[] }
    expect(retry.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
    expect(retry.messages[1]!.content).toBe(verdict(0, 4, 4))
    expect(retry.messages[2]!.content).toMatch(/outside 1–5/)

    // Case 0: valid, fenced and prose-wrapped JSON are all valid votes.
    expect(votes(i0).map((v) => [v.judge_key, v.criterion, v.score, v.status])).toEqual([
      ['ollama/judge-a', 'accuracy', 4, 'valid'],
      ['ollama/judge-a', 'clarity', 3, 'valid'],
      ['ollama/judge-a', 'completeness', 5, 'valid'],
      ['ollama/judge-b', 'accuracy', 5, 'valid'],
      ['ollama/judge-b', 'clarity', 4, 'valid'],
      ['ollama/judge-b', 'completeness', 5, 'valid'],
      ['ollama/judge-c', 'accuracy', 3, 'valid'],
      ['ollama/judge-c', 'clarity', 4, 'valid'],
      ['ollama/judge-c', 'completeness', 4, 'valid'],
    ])
    expect(votes(i0)[0]!.explanation).toBe('accuracy 4')
    const s0 = score(i0, 'jury')!
    expect(s0.status).toBe('ok')
    expect(s0.value).toBeCloseTo(37 / 9, 12)
    expect(s0.details.normalized).toBeCloseTo((37 / 9 - 1) / 4, 12)
    expect(s0.details).toMatchObject({ validVotes: 9, failedVotes: 0 })

    // Case 1: score 0 retried into a valid vote; score 6 and "high" fail after 3 attempts, raw text kept.
    const v1 = votes(i1)
    expect(
      v1.filter((v) => v.judge_key === 'ollama/judge-a').map((v) => [v.score, v.status, v.attempts]),
    ).toEqual([
      [4, 'valid', 2],
      [4, 'valid', 2],
      [4, 'valid', 2],
    ])
    for (const v of v1.filter((x) => x.judge_key !== 'ollama/judge-a')) {
      expect(v).toMatchObject({ status: 'failed', score: null, attempts: 3 })
      expect(v.raw_text).toBe(v.judge_key === 'ollama/judge-b' ? verdict(6, 5, 5) : verdict('high', 4, 4))
    }
    expect(
      v1.find((v) => v.judge_key === 'ollama/judge-b' && v.criterion === 'accuracy')!.explanation,
    ).toMatch(/6, outside 1–5/)
    expect(
      v1.find((v) => v.judge_key === 'ollama/judge-c' && v.criterion === 'accuracy')!.explanation,
    ).toMatch(/not a number/)
    const s1 = score(i1, 'jury')!
    expect(s1).toMatchObject({
      status: 'ok',
      value: 4,
      details: { normalized: 0.75, validVotes: 3, failedVotes: 6 },
    })

    // Case 2: empty output, timeout, no JSON: every vote failed → unscored, never 1 or 0.
    const v2 = votes(i2)
    expect(v2).toHaveLength(9)
    expect(v2.every((v) => v.status === 'failed' && v.score === null && v.attempts === 3)).toBe(true)
    expect(v2.find((v) => v.judge_key === 'ollama/judge-a')).toMatchObject({ raw_text: '' })
    expect(v2.find((v) => v.judge_key === 'ollama/judge-a')!.explanation).toMatch(/no text/)
    expect(v2.find((v) => v.judge_key === 'ollama/judge-b')).toMatchObject({ raw_text: null })
    expect(v2.find((v) => v.judge_key === 'ollama/judge-b')!.explanation).toMatch(/time limit/)
    expect(v2.find((v) => v.judge_key === 'ollama/judge-c')).toMatchObject({
      raw_text: 'I cannot evaluate this response.',
    })
    expect(score(i2, 'jury')).toMatchObject({
      status: 'unscored',
      value: null,
      details: { reason: 'all_votes_failed', failedVotes: 9 },
    })

    // Case 3: an empty response is unscored without asking anyone.
    expect(votes(i3)).toHaveLength(0)
    expect(score(i3, 'jury')).toMatchObject({
      status: 'unscored',
      value: null,
      details: { reason: 'empty_response' },
    })

    // No embedding model: the similarity is recorded as not configured — unscored, neither a
    // score nor a failure counted against the model — and scored by a later pass that has one.
    expect(score(i0, 'bertscore')).toMatchObject({
      status: 'unscored',
      value: null,
      details: { code: 'embedding_not_configured', retryable: true },
    })
    expect(result.pass.warnings.join(' ')).toMatch(/No embedding model/)
    // ROUGE-L was scored inline by the run: kept, not recomputed.
    expect(score(i0, 'rouge_l')).toMatchObject({ status: 'ok', value: 1 })

    // The report: per benchmark × model, the jury mean, normalization and unscored counts.
    const jury = result.rows[0]!.metrics.find((m) => m.metric === 'jury')!
    expect(jury).toMatchObject({
      main: true,
      ok: 2,
      unscored: 2,
      failed: 0,
      missing: 0,
      unscoredBy: { no_votes: 0, all_votes_failed: 1, empty_response: 1 },
    })
    expect(jury.mean).toBeCloseTo((37 / 9 + 4) / 2, 12)
    expect(jury.normalized).toBeCloseTo(((37 / 9 + 4) / 2 - 1) / 4, 12)
    // Not configured counts as unscored, not as four failures of the model.
    expect(result.rows[0]!.metrics.find((m) => m.metric === 'bertscore')).toMatchObject({
      ok: 0,
      failed: 0,
      unscored: 4,
      mean: null,
    })
    // Agreement: 27 votes, 15 failed; on case 0 the judges' means are 4, 14/3 and 11/3: spread 1.
    const a = result.agreement[0]!
    expect(a).toMatchObject({ benchmarkId: 'patient_qa', scored: 2, unscored: 2 })
    expect(a.agreement).toMatchObject({ votes: 27, failed: 15, comparableInstances: 1 })
    expect(a.agreement.failedShare).toBeCloseTo(15 / 27, 12)
    expect(a.agreement.meanRange).toBeCloseTo(1, 12)
    expect(a.agreement.judges.map((j) => [j.judge, j.failed])).toEqual([
      ['ollama/judge-a', 3],
      ['ollama/judge-b', 6],
      ['ollama/judge-c', 6],
    ])
    expect(runScoringReport(ctx.db, runId)).toEqual({ runId, rows: result.rows, agreement: result.agreement })

    // The per-instance view: votes side by side with the metric scores.
    const view = instanceScores(ctx.db, i1)
    expect(view.criteria.map((c) => c.id)).toEqual(['accuracy', 'completeness', 'clarity'])
    expect(view.judges).toEqual(JUDGE_KEYS)
    expect(view.jury).toMatchObject({
      state: 'scored',
      mean: 4,
      normalized: 0.75,
      validVotes: 3,
      failedVotes: 6,
    })
    expect(view.metrics.map((m) => m.metric).sort()).toEqual(['bertscore', 'jury', 'rouge_l'])
    expect(instanceScores(ctx.db, i3).jury).toMatchObject({ state: 'unscored', reason: 'empty_response' })

    // Audited with the judge purpose; progress reached the end.
    const purposes = (
      ctx.db
        .prepare(
          "SELECT purpose_json FROM audit_log WHERE outcome = 'intent' AND purpose_json LIKE '%\"judge\"%'",
        )
        .all() as {
        purpose_json: string
      }[]
    ).map((r) => JSON.parse(r.purpose_json) as Record<string, unknown>)
    expect(purposes).toHaveLength(20)
    expect(purposes[0]).toMatchObject({ kind: 'judge', runId, benchmark: 'patient_qa' })
    expect(progress[progress.length - 1]).toMatchObject({ kind: 'score', state: 'done', done: 4, total: 4 })
  })

  it('is resumable: a second pass sends no judge request and changes nothing', async () => {
    const runId = await completedRun(
      ctx,
      openManifest('patient_qa', [{ name: 'jury', main: true }]),
      openInstances(3),
      ctx.dir,
    )
    const first = await scoreRun(ctx, runId, { judges: JUDGE_KEYS, requestTimeoutMs: 400 })
    const before = ctx.db.prepare('SELECT * FROM jury_votes ORDER BY id').all()
    const scoresBefore = ctx.db.prepare('SELECT * FROM scores ORDER BY id').all()
    fake.reset()
    const second = await scoreRun(ctx, runId, { judges: JUDGE_KEYS, requestTimeoutMs: 400 })
    expect(fake.requests).toHaveLength(0)
    expect(second.pass).toMatchObject({ judgeRequests: 0, votesWritten: 0, metricRowsWritten: 0 })
    expect(ctx.db.prepare('SELECT * FROM jury_votes ORDER BY id').all()).toEqual(before)
    expect(ctx.db.prepare('SELECT * FROM scores ORDER BY id').all()).toEqual(scoresBefore)
    expect(second.rows).toEqual(first.rows)

    expect(score(itemIds(runId)[0]!, 'jury')).toMatchObject({ status: 'ok' })
  })

  it('a judge added later is the only one asked; the jury score is recomputed over the new jury', async () => {
    const runId = await completedRun(
      ctx,
      openManifest('patient_qa', [{ name: 'jury', main: true }]),
      openInstances(2),
      ctx.dir,
    )
    const i0 = itemIds(runId)[0]!
    await scoreRun(ctx, runId, { judges: JUDGE_KEYS.slice(0, 2) })
    expect(score(i0, 'jury')!.value).toBeCloseTo(26 / 6, 12)
    fake.reset()
    const pass = await scoreRun(ctx, runId, { judges: JUDGE_KEYS })
    expect(new Set(judgeChats().map((r) => (r.body as { model: string }).model))).toEqual(
      new Set(['judge-c']),
    )
    expect(pass.pass.judgeRequests).toBe(1 + 3)
    expect(score(i0, 'jury')).toMatchObject({ status: 'ok', details: { judges: JUDGE_KEYS, validVotes: 9 } })
    expect(score(i0, 'jury')!.value).toBeCloseTo(37 / 9, 12)
  })

  it("keeps each endpoint's concurrency: never more judge requests in flight than the endpoint allows", async () => {
    const runId = await completedRun(
      ctx,
      openManifest('patient_qa', [{ name: 'jury', main: true }]),
      openInstances(4),
      ctx.dir,
    )
    ctx.db.prepare("UPDATE endpoints SET concurrency = 2 WHERE name = 'ollama'").run()
    fake.clearFaults()
    let inFlight = 0
    let most = 0
    fake.answer(async () => {
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise((r) => setTimeout(r, 40))
      inFlight--
      return verdict(4, 4, 4)
    })
    const result = await scoreRun(ctx, runId, { judges: JUDGE_KEYS })
    // Case 3's answer is empty (no judge asked): 3 judges × 3 cases.
    expect(result.pass.judgeRequests).toBe(9)
    expect(most).toBe(2)
    expect(result.rows[0]!.metrics[0]).toMatchObject({
      metric: 'jury',
      ok: 3,
      unscored: 1,
      mean: 4,
      normalized: 0.75,
    })
  })

  it('a judge the server does not have stops the pass without recording failed votes', async () => {
    const runId = await completedRun(
      ctx,
      openManifest('patient_qa', [{ name: 'jury', main: true }]),
      openInstances(2),
      ctx.dir,
    )
    await expect(
      scoreRun(ctx, runId, { judges: ['ollama/judge-a', 'ollama/no-such-judge'] }),
    ).rejects.toThrow(/no-such-judge/)
    expect(
      ctx.db.prepare("SELECT COUNT(*) AS n FROM jury_votes WHERE judge_key = 'ollama/no-such-judge'").get(),
    ).toEqual({ n: 0 })
    expect(ctx.db.prepare("SELECT COUNT(*) AS n FROM scores WHERE metric = 'jury'").get()).toEqual({ n: 0 })
  })

  it('refuses to run the jury without judges, naming the benchmark', async () => {
    const runId = await completedRun(
      ctx,
      openManifest('patient_qa', [{ name: 'jury', main: true }]),
      openInstances(1),
      ctx.dir,
    )
    await expect(scoreRun(ctx, runId)).rejects.toThrow(/patient_qa .*no judge is set/)
  })
})
