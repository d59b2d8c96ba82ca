import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ehrsqlExecutionAccuracy, extractPredictedSql, sameRowSet } from '../../../src/main/scoring/ehrsql'
import { ReadOnlySqlRunner } from '../../../src/main/scoring/readonly-sql'
import { DATASETS_DIR } from '../../support/shared'

const fixtures = join(__dirname, '../../fixtures/scoring')
const cases = JSON.parse(readFileSync(join(fixtures, 'closed-cases.json'), 'utf8')) as {
  ehrsql: {
    id: string
    question: string
    query: string
    value: Record<string, string> | null
    is_impossible: boolean
  }[]
}
const byId = (id: string) => {
  const c = cases.ehrsql.find((x) => x.id === id)
  if (!c) throw new Error(`EHRSQL item ${id} missing from the fixture`)
  return c
}
const ROUTE = byId('ba95373f025351f7de88a95a') // medication.routeadmin of d5w
const COST = byId('27d4716342d31f8bdc6997d0') // cost of 'internal fixation'
const GENDER = byId('bcf2e52f8cceaf94ec02029f') // gender of patient 028-40370
const IMPOSSIBLE = byId('9b851f4b098a47d3e3b71fbc')

let dir: string
let dbFile: string
let runner: ReadOnlySqlRunner

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wardeval-ehrsql-'))
  dbFile = join(dir, 'eicu.sqlite')
  // A tiny database with EHRSQL's eICU schema (eicu.sql as HELM puts it in the prompt) and a few
  // invented rows that the real gold queries select.
  const db = new Database(dbFile)
  // eicu.sql declares cost → patient(patienthealthsystemstayid), not a unique key: SQLite can only
  // load it with foreign-key enforcement off, as EHRSQL's own build scripts do.
  db.pragma('foreign_keys = OFF')
  db.exec(readFileSync(join(DATASETS_DIR, 'ehrsql/eicu_helm_e172ec8/eicu.sql'), 'utf8'))
  const t = '2105-03-01 10:00:00'
  const patient = db.prepare(
    `INSERT INTO patient VALUES (?, ?, ?, ?, '67', 'caucasian', 1, 1, 170.0, 80.0, 79.0, ?, 'emergency department', ?, NULL, NULL, NULL)`,
  )
  patient.run('028-40370', 100, 1000, 'female', t, t)
  patient.run('035-9193', 101, 1001, 'male', t, t)
  const med = db.prepare(`INSERT INTO medication VALUES (?, ?, ?, '1000 ml', ?, ?, NULL)`)
  med.run(1, 1000, 'dextrose 5% in water (d5w) iv : 1000 ml bag', 'iv', t)
  med.run(2, 1001, 'dextrose 5% in water (d5w) iv : 1000 ml bag', 'iv', t)
  med.run(3, 1001, 'dextrose 5% in water (d5w) iv : 1000 ml bag', 'ivpb', t)
  med.run(4, 1001, 'clonidine', 'po', t)
  db.prepare(`INSERT INTO treatment VALUES (?, ?, ?, ?)`).run(7, 1000, 'internal fixation', t)
  db.prepare(`INSERT INTO cost VALUES (?, '028-40370', 100, 'treatment', 7, ?, ?)`).run(1, t, 1520.5)
  for (let i = 0; i < 300; i++)
    db.prepare(`INSERT INTO lab VALUES (?, 1000, 'glucose', ?, ?)`).run(i + 1, 90 + (i % 40), t)
  db.close()
  runner = new ReadOnlySqlRunner(dbFile, { timeoutMs: 2_000 })
})

afterAll(async () => {
  await runner.close()
  rmSync(dir, { recursive: true, force: true })
})

const score = (response: string, item: { query: string; value: Record<string, string> | null }) =>
  ehrsqlExecutionAccuracy({
    response,
    goldSql: item.query,
    goldValues: item.value,
    run: (sql) => runner.run(sql),
  })

describe('predicted SQL extraction (HELM EhrSqlAnnotator)', () => {
  it('takes <sql> content, strips backticks and a code-fence "sql" line, drops reasoning', () => {
    expect(extractPredictedSql('Here: <sql>SELECT 1</sql> done')).toBe('SELECT 1')
    expect(extractPredictedSql('```sql\nSELECT gender FROM patient\n```')).toBe('SELECT gender FROM patient')
    expect(extractPredictedSql('<think>which table?</think>\n<SQL> select 1 </sql>')).toBe('select 1')
    expect(extractPredictedSql('  ')).toBe('')
  })
})

describe('row-set comparison (Python set equality of tuples)', () => {
  it('ignores order and duplicates, equates 1 and 1.0, keeps text and numbers apart', () => {
    expect(sameRowSet([['iv'], ['ivpb'], ['iv']], [['ivpb'], ['iv']])).toBe(true)
    expect(sameRowSet([[1n]], [[1.0]])).toBe(true)
    expect(sameRowSet([['1']], [[1]])).toBe(false)
    expect(sameRowSet([[null, 2]], [[null, 2]])).toBe(true)
    expect(sameRowSet([[1, 2]], [[2, 1]])).toBe(false)
    expect(sameRowSet([[2n ** 60n]], [[2 ** 60]])).toBe(true)
  })
})

describe('EHRSQL execution accuracy on a tiny eICU database', () => {
  it('real gold query vs an equivalent prediction written differently', async () => {
    const r = await score(
      "<sql>SELECT DISTINCT routeadmin FROM medication WHERE drugname = 'dextrose 5% in water (d5w) iv : 1000 ml bag' ORDER BY 1 DESC</sql>",
      ROUTE,
    )
    expect(r).toMatchObject({ ok: true, value: 1, details: { goldRowCount: 2, predictedRowCount: 2 } })
  })

  it('duplicates in the prediction do not matter (sets), a missing row does', async () => {
    expect(
      await score("select routeadmin from medication where drugname like 'dextrose 5%'", ROUTE),
    ).toMatchObject({ value: 1 })
    expect(await score('select routeadmin from medication where medicationid = 1', ROUTE)).toMatchObject({
      value: 0,
    })
  })

  it('the real cost and gender questions', async () => {
    expect(await score('```sql\nselect cost from cost where eventid = 7\n```', COST)).toMatchObject({
      value: 1,
    })
    expect(await score("select gender from patient where uniquepid = '028-40370'", GENDER)).toMatchObject({
      value: 1,
    })
    expect(await score("select 'female'", GENDER)).toMatchObject({ value: 1 }) // execution accuracy compares results only
    expect(await score("select gender from patient where uniquepid = '035-9193'", GENDER)).toMatchObject({
      value: 0,
    })
  })

  it('a prediction that errors scores 0 with the error kept', async () => {
    const r = await score('select routeadmin from medications', ROUTE)
    expect(r).toMatchObject({ ok: true, value: 0, details: { predictedRowCount: null } })
    expect(r.ok && r.details.predictedError).toMatch(/^error: no such table: medications/)
  })

  it('never writes: non-SELECT statements are refused and the file is unchanged', async () => {
    const before = statSync(dbFile).mtimeMs
    const r = await score('DELETE FROM medication', ROUTE)
    expect(r).toMatchObject({ ok: true, value: 0 })
    expect(r.ok && r.details.predictedError).toMatch(/^not_read_only/)
    expect((await runner.run("ATTACH DATABASE 'x.db' AS x")).ok).toBe(false)
    expect((await runner.run('PRAGMA user_version = 5')).ok).toBe(false)
    const check = new Database(dbFile, { readonly: true })
    expect(check.prepare('select count(*) as n from medication').get()).toEqual({ n: 4 })
    check.close()
    expect(statSync(dbFile).mtimeMs).toBe(before)
  })

  it('a runaway query is stopped at the time limit, and the next query still runs', async () => {
    const slow = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c'
    const started = Date.now()
    const r = await ehrsqlExecutionAccuracy({
      response: slow,
      goldSql: ROUTE.query,
      goldValues: ROUTE.value,
      run: (sql) => runner.run(sql, 300),
    })
    expect(r).toMatchObject({ ok: true, value: 0 })
    expect(r.ok && r.details.predictedError).toMatch(/^timeout/)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(
      await score("select distinct routeadmin from medication where drugname like 'dextrose%'", ROUTE),
    ).toMatchObject({ value: 1 })
  })

  it('too many rows are refused instead of filling memory', async () => {
    const small = new ReadOnlySqlRunner(dbFile, { maxRows: 100 })
    try {
      expect(await small.run('select * from lab')).toMatchObject({ ok: false, kind: 'too_many_rows' })
    } finally {
      await small.close()
    }
  })

  it('unanswerable question (gold "null"): 1 only when the model writes no query', async () => {
    expect(IMPOSSIBLE.is_impossible).toBe(true)
    expect(await score('', IMPOSSIBLE)).toMatchObject({ ok: true, value: 1, details: { unanswerable: true } })
    expect(await score("select gender from patient where uniquepid = '035-9193'", IMPOSSIBLE)).toMatchObject({
      value: 0,
    })
  })

  it('answerable question whose gold result is empty here scores 0, as HELM (fallback values never equal rows)', async () => {
    const item = {
      query: "select distinct patient.gender from patient where patient.uniquepid = '999-00000'",
      value: { patient_id: '999-00000' },
    }
    expect(await score("select gender from patient where uniquepid = '999-00000'", item)).toMatchObject({
      ok: true,
      value: 0,
      details: { goldEmpty: true },
    })
  })

  it('a gold query that fails on this database is a failure, not a score', async () => {
    const r = await score('select 1', { query: 'select nothing from nowhere', value: null })
    expect(r).toMatchObject({ ok: false, code: 'gold_query_failed' })
  })

  it('a file that is not a SQLite database is reported as unavailable', async () => {
    const notDb = join(dir, 'notes.txt')
    writeFileSync(notDb, 'this is not a database, just some text that is long enough to have a header page')
    const r = new ReadOnlySqlRunner(notDb)
    try {
      expect(await r.run('select 1')).toMatchObject({ ok: false, kind: 'database_unavailable' })
    } finally {
      await r.close()
    }
  })

  it('a missing database file is reported as unavailable', async () => {
    const missing = new ReadOnlySqlRunner(join(dir, 'missing.sqlite'))
    try {
      const r = await ehrsqlExecutionAccuracy({
        response: 'select 1',
        goldSql: GENDER.query,
        run: (sql) => missing.run(sql),
      })
      expect(r).toMatchObject({ ok: false, code: 'database_unavailable' })
    } finally {
      await missing.close()
    }
  })
})
