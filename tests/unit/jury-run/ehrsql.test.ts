import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { scoreRun } from '../../../src/main/jury/run/score-run'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { FAKE_MODELS, caseOf, completedRun, openManifest } from './helpers'

let ctx: TempContext
let fake: FakeOllama

beforeEach(async () => {
  // Case 0 answers the gold query in a code fence; case 1 answers a query with another result.
  fake = await startFakeOllama({
    models: FAKE_MODELS,
    answer: (req) => (caseOf(req.lastUser) === 0 ? '```sql\nSELECT COUNT(*) FROM patient\n```' : 'SELECT 42'),
  })
  ctx = tempContext({ OLLAMA_HOST: fake.url })
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

describe('EHRSQL execution accuracy in the scoring pass', () => {
  it('is recorded as unavailable without a database, then computed read-only against the one given', async () => {
    const manifest = {
      ...openManifest('ehr_sql', [{ name: 'ehrsql_execution_accuracy', main: true }]),
      taskType: 'sql' as const,
    }
    const runId = await completedRun(
      ctx,
      manifest,
      [
        {
          id: 'q0',
          input: 'Case 0: how many patients are there?',
          references: ['SELECT COUNT(*) FROM patient'],
        },
        {
          id: 'q1',
          input: 'Case 1: how many patients are older than 50?',
          references: ['SELECT COUNT(*) FROM patient WHERE age > 50'],
        },
      ],
      ctx.dir,
    )
    const rows = () =>
      (
        ctx.db
          .prepare(
            `SELECT s.value, s.status, s.details_json FROM scores s JOIN run_items ri ON ri.id = s.run_item_id
             WHERE ri.run_id = ? AND s.metric = 'ehrsql_execution_accuracy' ORDER BY ri.id`,
          )
          .all(runId) as { value: number | null; status: string; details_json: string }[]
      ).map((r) => ({
        value: r.value,
        status: r.status,
        details: JSON.parse(r.details_json) as Record<string, unknown>,
      }))

    const first = await scoreRun(ctx, runId)
    expect(rows().map((r) => [r.status, r.value, r.details.code, r.details.retryable])).toEqual([
      ['failed', null, 'database_unavailable', true],
      ['failed', null, 'database_unavailable', true],
    ])
    expect(first.rows[0]!.metrics[0]).toMatchObject({
      metric: 'ehrsql_execution_accuracy',
      ok: 0,
      failed: 2,
      mean: null,
    })

    const file = join(ctx.dir, 'eicu.sqlite')
    const ehr = new Database(file)
    ehr.exec('CREATE TABLE patient (id INTEGER PRIMARY KEY, age INTEGER)')
    ehr.exec('INSERT INTO patient (age) VALUES (30), (60), (70)')
    ehr.close()

    const second = await scoreRun(ctx, runId, { sqlDatabase: file })
    expect(rows().map((r) => [r.status, r.value])).toEqual([
      ['ok', 1],
      ['ok', 0],
    ])
    expect(rows()[0]!.details).toMatchObject({
      predictedSql: 'SELECT COUNT(*) FROM patient',
      goldRowCount: 1,
    })
    expect(second.rows[0]!.metrics[0]).toMatchObject({ ok: 2, failed: 0, mean: 0.5 })
    // The user's database is untouched (opened read-only).
    const check = new Database(file, { readonly: true })
    expect(check.prepare('SELECT COUNT(*) AS n FROM patient').get()).toEqual({ n: 3 })
    check.close()
  })
})
