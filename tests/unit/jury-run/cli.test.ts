import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type {
  InstanceScores,
  ScorePassResult,
  ScoringSettings,
  BenchmarkAgreement,
} from '../../../src/shared/api/jury'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import {
  FAKE_MODELS,
  JUDGE_KEYS,
  completedRun,
  openInstances,
  openManifest,
  scriptedServer,
  verdict,
} from './helpers'
import { runCliCaptured } from '../../support/cli'

let ctx: TempContext
let fake: FakeOllama

async function cli(args: string[]) {
  return runCliCaptured(['--db', ctx.dbPath, ...args], { env: { OLLAMA_HOST: fake.url } })
}

const judgeChats = () =>
  fake.requests.filter(
    (r) => r.path === '/api/chat' && (r.body as { model: string }).model.startsWith('judge-'),
  )

beforeEach(async () => {
  // Case 0 is judged (one answer is out of range and retried); case 1's response is empty.
  fake = await startFakeOllama({
    models: FAKE_MODELS,
    answer: scriptedServer(
      {
        'judge-a': { 0: [verdict(5, 4, 5)] },
        'judge-b': { 0: [verdict(7, 4, 4), verdict(4, 4, 4)] },
        'judge-c': { 0: ['```\n' + verdict(3, 3, 3) + '\n```'] },
      },
      [1],
    ),
  })
  ctx = tempContext({ OLLAMA_HOST: fake.url })
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

describe('wardeval score <runId>', () => {
  it('--json: scores the run, then a second invocation sends zero judge requests', async () => {
    const runId = await completedRun(
      ctx,
      openManifest('patient_qa', [{ name: 'jury', main: true }, { name: 'rouge_l' }]),
      openInstances(2),
      ctx.dir,
    )
    fake.reset()
    const r = await cli(['score', String(runId), '--judges', JUDGE_KEYS.join(','), '--json'])
    expect(r.code).toBe(0)
    // With --json, progress goes to stderr and stdout holds only the JSON.
    expect(r.stderr).toMatch(/^Scoring run \d+: 0\/2 items\n/)
    const out = JSON.parse(r.stdout) as ScorePassResult
    expect(out.pass).toMatchObject({ items: 2, judgeRequests: 4, votesWritten: 9, judges: JUDGE_KEYS })
    expect(judgeChats()).toHaveLength(4)
    const jury = out.rows[0]!.metrics.find((m) => m.metric === 'jury')!
    // (5+4+5 + 4+4+4 + 3+3+3) / 9 = 35/9
    expect(jury).toMatchObject({
      ok: 1,
      unscored: 1,
      unscoredBy: { empty_response: 1, all_votes_failed: 0, no_votes: 0 },
    })
    expect(jury.mean).toBeCloseTo(35 / 9, 12)
    expect(jury.normalized).toBeCloseTo((35 / 9 - 1) / 4, 12)
    expect(out.agreement[0]).toMatchObject({
      benchmarkId: 'patient_qa',
      scored: 1,
      unscored: 1,
      agreement: { votes: 9, failed: 0, failedShare: 0 },
    })

    fake.reset()
    const again = await cli(['score', String(runId), '--judges', JUDGE_KEYS.join(','), '--json'])
    expect(again.code).toBe(0)
    expect(fake.requests).toHaveLength(0)
    const out2 = JSON.parse(again.stdout) as ScorePassResult
    expect(out2.pass).toMatchObject({ judgeRequests: 0, votesWritten: 0, metricRowsWritten: 0 })
    expect(out2.rows).toEqual(out.rows)
  })

  it('prints per benchmark × model the metrics, unscored counts and judge agreement; saved judges are the default', async () => {
    const runId = await completedRun(
      ctx,
      openManifest('patient_qa', [{ name: 'jury', main: true }, { name: 'rouge_l' }]),
      openInstances(2),
      ctx.dir,
    )
    const set = await cli(['jury', 'settings', '--judges', JUDGE_KEYS.join(','), '--json'])
    expect(set.code).toBe(0)
    expect(JSON.parse(set.stdout) as ScoringSettings).toEqual({
      judges: JUDGE_KEYS,
      embeddingModel: null,
      excludeSameFamily: false,
    })

    const r = await cli(['score', String(runId)])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Scored run \d+: 2 completed items; 4 judge requests, 9 votes/)
    expect(r.stdout).toMatch(
      /patient_qa\s+ollama\/llama3\.2:3b\s+jury \(main\)\s+3\.889\s+0\.722\s+1\s+0\s+1 \(empty response 1\)/,
    )
    expect(r.stdout).toMatch(/patient_qa\s+ollama\/llama3\.2:3b\s+rouge_l\s+0\.500\s+-\s+2\s+0\s+0\s+0/)
    expect(r.stdout).toContain('Judge agreement')
    expect(r.stdout).toMatch(/patient_qa\s+3\s+9\s+0\s+0\.0%/)

    const agreement = await cli(['jury', 'agreement', String(runId), '--json'])
    expect(
      (JSON.parse(agreement.stdout) as BenchmarkAgreement[])[0]!.agreement.judges.map((j) => j.judge),
    ).toEqual(JUDGE_KEYS)

    const ids = (
      ctx.db
        .prepare(
          'SELECT ri.id FROM run_items ri JOIN instances i ON i.id = ri.instance_id WHERE ri.run_id = ? ORDER BY i.ordinal',
        )
        .all(runId) as { id: number }[]
    ).map((x) => x.id)
    const judged = await cli(['jury', 'votes', String(ids[0]), '--json'])
    const view = JSON.parse(judged.stdout) as InstanceScores
    expect(view.votes.find((v) => v.judge === 'ollama/judge-b' && v.criterion === 'accuracy')).toMatchObject({
      score: 4,
      status: 'valid',
      attempts: 2,
    })
    const empty = await cli(['jury', 'votes', String(ids[1])])
    expect(empty.stdout).toMatch(/Jury: UNSCORED \(empty_response\)/)
  })

  it('fails clearly: an unknown run, a jury without judges, a malformed run id', async () => {
    const runId = await completedRun(
      ctx,
      openManifest('patient_qa', [{ name: 'jury', main: true }]),
      openInstances(1),
      ctx.dir,
    )
    const missing = await cli(['score', '999'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/not_found.*no run 999/)
    const noJudges = await cli(['score', String(runId)])
    expect(noJudges.code).toBe(2)
    expect(noJudges.stderr).toMatch(/patient_qa is scored by the LLM jury but no judge is set/)
    const bad = await cli(['score', 'abc'])
    expect(bad.code).toBe(2)
    const badKey = await cli(['jury', 'settings', '--judges', 'no-slash'])
    expect(badKey.code).toBe(2)
    expect(badKey.stderr).toMatch(/judges\.0: write a model key as <endpoint>\/<model>/)
    expect(judgeChats()).toHaveLength(0)
  })
})
