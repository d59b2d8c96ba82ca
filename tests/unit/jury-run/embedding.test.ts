import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { scoreRun } from '../../../src/main/jury/run/score-run'
import { addEndpoint } from '../../../src/main/models/endpoints'
import { runItemsPage } from '../../../src/main/runs/store'
import { EMBEDDING_NOT_CONFIGURED } from '../../../src/shared/api/runs'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { FAKE_MODELS, caseOf, completedRun, openInstances, openManifest, startEmbedServer } from './helpers'

let ctx: TempContext
let fake: FakeOllama
let embed: Awaited<ReturnType<typeof startEmbedServer>>

beforeEach(async () => {
  // Case 0 answers the gold text; case 1 adds an unrelated sentence; case 2 answers nothing.
  fake = await startFakeOllama({
    models: FAKE_MODELS,
    answer: (req) => {
      const c = caseOf(req.lastUser)
      if (c === 1) return 'Rest and drink fluids for condition 1. Tomorrow bring your insurance card.'
      return c === 2 ? '' : `Rest and drink fluids for condition ${c}.`
    },
  })
  embed = await startEmbedServer()
  ctx = tempContext({ OLLAMA_HOST: fake.url })
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
  await embed.close()
})

function bert(runId: number) {
  return (
    ctx.db
      .prepare(
        `SELECT s.value, s.status, s.details_json FROM scores s JOIN run_items ri ON ri.id = s.run_item_id JOIN instances i ON i.id = ri.instance_id
         WHERE ri.run_id = ? AND s.metric = 'bertscore' ORDER BY i.ordinal`,
      )
      .all(runId) as { value: number | null; status: string; details_json: string }[]
  ).map((r) => ({
    value: r.value,
    status: r.status,
    details: JSON.parse(r.details_json) as Record<string, number | string | boolean>,
  }))
}

describe('BERTScore-style similarity with an Ollama embedding model', () => {
  it('a run whose main metric is the similarity lists its items as not configured, not failed', async () => {
    const runId = await completedRun(
      ctx,
      openManifest('sim_qa', [{ name: 'bertscore', main: true }]),
      openInstances(2),
      ctx.dir,
    )
    await scoreRun(ctx, runId)
    const rows = runItemsPage(ctx.db, { runId, offset: 0, limit: 10 }).rows
    expect(rows.map((r) => [r.mainMetric, r.scoreStatus, r.scoreCode])).toEqual([
      ['bertscore', 'unscored', EMBEDDING_NOT_CONFIGURED],
      ['bertscore', 'unscored', EMBEDDING_NOT_CONFIGURED],
    ])
    addEndpoint(ctx, { name: 'emb', url: embed.url, kind: 'ollama' }, 'tester')
    await scoreRun(ctx, runId, { embeddingModel: 'emb/nomic-embed-text' })
    const scored = runItemsPage(ctx.db, { runId, offset: 0, limit: 10 }).rows
    expect(scored.map((r) => [r.scoreStatus, r.scoreCode])).toEqual([
      ['ok', null],
      ['ok', null],
    ])
  })

  it('is left unscored without a model (not a failure), computed once one is configured, and not asked again', async () => {
    const runId = await completedRun(
      ctx,
      openManifest('patient_qa', [{ name: 'rouge_l', main: true }, { name: 'bertscore' }]),
      openInstances(3),
      ctx.dir,
    )
    await scoreRun(ctx, runId)
    expect(bert(runId).map((r) => [r.status, r.value, r.details.code])).toEqual([
      ['unscored', null, 'embedding_not_configured'],
      ['unscored', null, 'embedding_not_configured'],
      ['unscored', null, 'embedding_not_configured'],
    ])

    addEndpoint(ctx, { name: 'emb', url: embed.url, kind: 'ollama' }, 'tester')
    const pass = await scoreRun(ctx, runId, { embeddingModel: 'emb/nomic-embed-text' })
    expect(pass.pass.embeddingRequests).toBe(2)
    expect(embed.requests).toEqual([
      {
        model: 'nomic-embed-text',
        input: ['Rest and drink fluids for condition 0.', 'Rest and drink fluids for condition 0.'],
      },
      {
        model: 'nomic-embed-text',
        input: [
          'Rest and drink fluids for condition 1.',
          'Tomorrow bring your insurance card.',
          'Rest and drink fluids for condition 1.',
        ],
      },
    ])
    const [same, extra, empty] = bert(runId) as [
      ReturnType<typeof bert>[number],
      ReturnType<typeof bert>[number],
      ReturnType<typeof bert>[number],
    ]
    expect(same.status).toBe('ok')
    expect(same.value).toBeCloseTo(1, 12)
    expect(same.details).toMatchObject({ model: 'emb/nomic-embed-text', unit: 'sentence', reference: 0 })
    // The reference sentence is found in the answer (recall 1); the extra sentence lowers precision.
    expect(extra.details.recall).toBeCloseTo(1, 12)
    expect(extra.details.precision as number).toBeLessThan(1)
    const p = extra.details.precision as number
    expect(extra.value).toBeCloseTo((2 * p) / (p + 1), 12)
    expect(empty).toMatchObject({ status: 'unscored', value: null, details: { reason: 'empty_response' } })
    // The embedding calls went through the egress guard and are in the audit log.
    const audited = ctx.db
      .prepare(
        "SELECT COUNT(*) AS n FROM audit_log WHERE kind = 'request' AND outcome = 'intent' AND purpose_json LIKE '%embedding%'",
      )
      .get() as { n: number }
    expect(audited.n).toBe(2)

    await scoreRun(ctx, runId, { embeddingModel: 'emb/nomic-embed-text' })
    expect(embed.requests).toHaveLength(2)
  })

  it('an embedding model the server cannot serve is recorded as a failure to retry, never a score', async () => {
    const runId = await completedRun(
      ctx,
      openManifest('patient_qa', [{ name: 'rouge_l', main: true }, { name: 'bertscore' }]),
      openInstances(8),
      ctx.dir,
    )
    // The fake chat server has no /api/embed: 404.
    const pass = await scoreRun(ctx, runId, { embeddingModel: 'ollama/llama3.2:3b' })
    const rows = bert(runId)
    expect(
      rows
        .filter((_, i) => i !== 2)
        .every((r) => r.status === 'failed' && r.value === null && r.details.retryable === true),
    ).toBe(true)
    expect(rows[0]!.details.code).toBe('embedding_failed')
    // After the first failure of that kind the pass stops asking: only requests already in flight
    // (at most the endpoint's concurrency, 4) reach the server, not one per answer (7).
    const sent = fake.requests.filter((r) => r.path === '/api/embed').length
    expect(sent).toBeGreaterThanOrEqual(1)
    expect(sent).toBeLessThanOrEqual(4)
    expect(pass.pass.embeddingRequests).toBe(sent)
    expect(rows[2]).toMatchObject({ status: 'unscored', details: { reason: 'empty_response' } })
  })
})
