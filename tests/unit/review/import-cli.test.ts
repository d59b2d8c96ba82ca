import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReviewAgreement, ReviewSetSummary } from '../../../src/shared/api/review'
import { runCliCaptured } from '../../support/cli'
import { tempContext, type TempContext } from '../../support/context'
import type { FakeOllama } from '../../support/fake-ollama'
import { count } from '../runs/helpers'
import { BENCHMARK, scoredRun, startFake } from './helpers'

/** `review` on the command line: sets, create-set, import <csv> (all or nothing), agreement. */

let ctx: TempContext
let fake: FakeOllama
let runId: number

const cli = (args: string[]) =>
  runCliCaptured(['--db', ctx.dbPath, ...args], { env: { OLLAMA_HOST: fake.url } })
const ratingsCount = () => count(ctx, 'SELECT COUNT(*) AS n FROM ratings')
const reviewersCount = () => count(ctx, 'SELECT COUNT(*) AS n FROM reviewers')

function csv(name: string, text: string): string {
  const path = join(ctx.dir, name)
  writeFileSync(path, text)
  return path
}

beforeAll(async () => {
  fake = await startFake()
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  runId = await scoredRun(ctx, ctx.dir, 10)
}, 60_000)
afterAll(async () => {
  ctx.dispose()
  await fake.close()
})

describe('review create-set and sets', () => {
  it('creates a reproducible set and lists it; usage errors exit 2', async () => {
    expect((await cli(['review', 'sets'])).stdout).toMatch(/No review set yet\. Make one from a scored run/)
    const r = await cli([
      'review',
      'create-set',
      '--run',
      String(runId),
      '--benchmark',
      BENCHMARK,
      '--size',
      '20',
      '--seed',
      '3',
      '--json',
    ])
    expect(r.code).toBe(0)
    const set = JSON.parse(r.stdout) as ReviewSetSummary
    expect(set).toMatchObject({ size: 20, seed: 3, models: 2, benchmarkId: BENCHMARK })
    const text = await cli(['review', 'sets'])
    expect(text.stdout).toMatch(
      new RegExp(
        `^${set.id}\\s+${runId}\\s+${BENCHMARK}\\s+20\\s+2\\s+3\\s+accuracy, completeness, clarity\\s+-`,
        'm',
      ),
    )
    const bad = await cli([
      'review',
      'create-set',
      '--run',
      String(runId),
      '--benchmark',
      BENCHMARK,
      '--size',
      'ten',
    ])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--size: "ten" is not a whole number ≥ 1/)
    const tooMany = await cli([
      'review',
      'create-set',
      '--run',
      String(runId),
      '--benchmark',
      BENCHMARK,
      '--size',
      '21',
    ])
    expect(tooMany.code).toBe(2)
    expect(tooMany.stderr).toMatch(/size: 21 exceeds the 20 completed, non-empty outputs/)
  })
})

describe('review import <csv>', () => {
  const items = () => ctx.db.prepare('SELECT id FROM run_items ORDER BY id').pluck().all() as number[]

  it('names the file, line and field of every problem, and writes nothing', async () => {
    const [a, b] = items()
    const before = { ratings: ratingsCount(), reviewers: reviewersCount() }
    const path = csv(
      'bad.csv',
      [
        'reviewer,item,criterion,score,comment',
        `Dr New,${a},accuracy,4,fine`,
        `Dr New,${a},accuracy,5,again`,
        `Dr New,${b},tone,3,`,
        `Dr New,99999,accuracy,3,`,
        `,${b},clarity,3,`,
        `Dr New,${b},clarity,,`,
        `Dr New,${b},completeness,4.5,`,
        `Dr New,x${b},completeness,4,`,
      ].join('\n') + '\n',
    )
    const r = await cli(['review', 'import', path])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('bad.csv: nothing was imported.')
    expect(r.stderr).toContain('bad.csv line 3, criterion: Dr New already rated item')
    expect(r.stderr).toContain('at line 2')
    expect(r.stderr).toContain(
      `bad.csv line 4, criterion: "tone" is not a criterion of ${BENCHMARK} (accuracy, completeness, clarity)`,
    )
    expect(r.stderr).toContain('bad.csv line 5, item: there is no run item 99999 in this database')
    expect(r.stderr).toContain('bad.csv line 6, reviewer: empty; name the reviewer')
    expect(r.stderr).toContain('bad.csv line 7, score: empty; every row needs a score (none is assumed)')
    expect(r.stderr).toContain('… and 2 more problem(s)')
    const json = await cli(['review', 'import', path, '--json'])
    expect(json.stderr).toContain('bad.csv line 8, score: "4.5" is not a whole number from 1 to 5')
    expect({ ratings: ratingsCount(), reviewers: reviewersCount() }).toEqual(before)
  })

  it('refuses a file without the required columns or with bad quoting', async () => {
    const missing = await cli(['review', 'import', csv('cols.csv', 'reviewer,item,score\nDr A,1,3\n')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('cols.csv line 1, criterion: required column is missing')
    const quoted = await cli([
      'review',
      'import',
      csv('quote.csv', 'reviewer,item,criterion,score\nDr "A",1,accuracy,3\n'),
    ])
    expect(quoted.stderr).toMatch(/quote\.csv line 2: a quote inside an unquoted field/)
    const absent = await cli(['review', 'import', join(ctx.dir, 'absent.csv')])
    expect(absent.stderr).toMatch(/ratings file not found: .*absent\.csv/)
    expect(ratingsCount()).toBe(0)
  })

  it('imports ratings in one transaction, creating reviewers, then refuses them again unless --replace', async () => {
    const ids = items()
    const set = JSON.parse(
      (
        await cli([
          'review',
          'create-set',
          '--run',
          String(runId),
          '--benchmark',
          BENCHMARK,
          '--size',
          '20',
          '--json',
        ])
      ).stdout,
    ) as ReviewSetSummary
    const juryMean = ctx.db.prepare(
      "SELECT AVG(score) FROM jury_votes WHERE run_item_id = ? AND criterion = ? AND status = 'valid'",
    )
    const lines = ['\ufeffReviewer,Item,Criterion,Score,Comment']
    ids.forEach((id, i) => {
      for (const c of ['accuracy', 'completeness', 'clarity']) {
        const j = Math.round(juryMean.pluck().get(id, c) as number)
        lines.push(`Dr Import A,${id},${c},${j},"ok, ""fine"""`)
        lines.push(`Dr Import B,${id},${c},${Math.min(5, j + (i % 4 === 0 ? 1 : 0))},`)
      }
    })
    const path = csv('good.csv', lines.join('\r\n') + '\r\n')
    const r = await cli(['review', 'import', path, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({
      file: 'good.csv',
      rows: 120,
      reviewers: ['Dr Import A', 'Dr Import B'],
      createdReviewers: ['Dr Import A', 'Dr Import B'],
      items: 20,
      replaced: 0,
    })
    expect(ratingsCount()).toBe(120)
    expect(ctx.db.prepare("SELECT DISTINCT comment FROM ratings WHERE comment != ''").pluck().all()).toEqual([
      'ok, "fine"',
    ])

    const again = await cli(['review', 'import', path])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(
      /good\.csv line 2, criterion: Dr Import A already rated item \d+ on accuracy in this database \(use --replace to overwrite\)/,
    )
    expect((await cli(['review', 'import', path, '--replace'])).stdout).toMatch(
      /Imported 120 ratings of 20 items from good\.csv \(120 replaced\)/,
    )
    expect(ratingsCount()).toBe(120)

    const agreement = await cli(['review', 'agreement', String(set.id), '--json'])
    expect(agreement.code).toBe(0)
    const a = JSON.parse(agreement.stdout) as ReviewAgreement
    expect(a.counts).toEqual({ items: 20, rated: 20, juryScored: 20 })
    expect(a.juryVsClinicians).toHaveLength(4)
    for (const f of [...a.juryVsClinicians, ...a.clinicianBaseline])
      expect(f).toMatchObject({ status: 'ok', items: 20 })
    expect(a.clinicianBaseline[0]).toMatchObject({ raters: 2, reviewers: ['Dr Import A', 'Dr Import B'] })
    // Dr A copies the rounded jury mean: near-perfect agreement on every criterion.
    expect(a.juryVsClinicians[0]!.icc3k!.value).toBeGreaterThan(0.9)

    const text = await cli(['review', 'agreement', String(set.id)])
    expect(text.stdout).toMatch(/Review set \d+: 20 items, 20 rated by a clinician, 20 scored by the jury/)
    expect(text.stdout).toMatch(/^accuracy\s+20\s+2\s+0\.\d\d \[-?\d\.\d\d, \d\.\d\d\]/m)
    expect(text.stdout).toContain('Clinician–clinician baseline')
  })

  it('says which figures are not computable, and why', async () => {
    const small = JSON.parse(
      (
        await cli([
          'review',
          'create-set',
          '--run',
          String(runId),
          '--benchmark',
          BENCHMARK,
          '--size',
          '4',
          '--seed',
          '8',
          '--json',
        ])
      ).stdout,
    ) as ReviewSetSummary
    const r = await cli(['review', 'agreement', String(small.id)])
    expect(r.stdout).toMatch(
      /^accuracy\s+4\s+2\s+not computable\s+4 items have ratings from every rater; at least 10 are needed/m,
    )
    expect((await cli(['review', 'agreement', '999'])).stderr).toMatch(/there is no review set 999/)
  })
})
