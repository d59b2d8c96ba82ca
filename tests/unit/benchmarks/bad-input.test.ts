import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportRequest } from '../../../src/shared/api/benchmarks'
import { runImport } from '../../../src/main/benchmarks/import'
import { AppError } from '../../../src/main/errors'
import type { TempContext } from '../../support/context'
import { FIXTURES, benchCtx, snapshot, tempDir } from './helpers'

/**
 * Every kind of bad input gets a clear error naming the file, line and field, and leaves the
 * database exactly as it was (a benchmark is imported first, so "as it was" is not just "empty").
 */

let ctx: TempContext
let tmp: ReturnType<typeof tempDir>
let before: ReturnType<typeof snapshot>
beforeEach(async () => {
  ctx = benchCtx()
  tmp = tempDir()
  await runImport(ctx, { format: 'pack', path: join(FIXTURES, 'triage-pack') })
  before = snapshot(ctx.db)
})
afterEach(() => {
  ctx.dispose()
  tmp.dispose()
})

const PLACE = { subcategory: 'planning_treatments' }

async function fails(req: ImportRequest): Promise<AppError> {
  const e = await runImport(ctx, req).then(
    () => null,
    (err: unknown) => err,
  )
  expect(e, 'the import should fail').toBeInstanceOf(AppError)
  expect(snapshot(ctx.db), 'the database must be exactly as it was').toEqual(before)
  return e as AppError
}

function file(name: string, content: string | Buffer): string {
  const p = join(tmp.dir, name)
  writeFileSync(p, content)
  return p
}

function pack(instances: string, manifest?: string): string {
  const dir = join(tmp.dir, 'pack')
  cpSync(join(FIXTURES, 'triage-pack'), dir, { recursive: true })
  writeFileSync(join(dir, 'instances.jsonl'), instances)
  if (manifest !== undefined) writeFileSync(join(dir, 'manifest.json'), manifest)
  return dir
}

const GOOD_LINES = readFileSync(join(FIXTURES, 'triage-pack', 'instances.jsonl'), 'utf8')

describe('bad input', () => {
  it('truncated JSON in a JSONL file names the file and line and says it looks truncated', async () => {
    const p = file('cut.jsonl', '{"input":"a","reference":"b"}\n{"input":"c","refer')
    const e = await fails({ format: 'jsonl', path: p, settings: PLACE })
    expect(e.code).toBe('bad_data')
    expect(e.message).toBe(
      'cut.jsonl line 2: invalid JSON at column 20: a string that is never closed — the last line is cut off; the file looks truncated',
    )
  })

  it('truncated JSON in a pack manifest names manifest.json', async () => {
    const e = await fails({ format: 'pack', path: pack(GOOD_LINES, '{"id": "ward_triage", "name": "Ward') })
    expect(e.message).toMatch(/^manifest\.json: invalid JSON at line 1, column \d+: .*truncated/)
    expect(e.message).not.toContain('Ward')
  })

  it('a truncated last line in a pack names instances.jsonl and the line', async () => {
    const lines = GOOD_LINES.trimEnd().split('\n')
    const e = await fails({ format: 'pack', path: pack(`${lines[0]}\n${lines[1]!.slice(0, 40)}`) })
    expect(e.message).toMatch(/^instances\.jsonl line 2: invalid JSON at column \d+: .*truncated/)
  })

  it('wrong delimiter: a TSV imported as CSV, and a CSV imported as TSV', async () => {
    const e1 = await fails({ format: 'csv', path: join(FIXTURES, 'triage.tsv'), settings: PLACE })
    expect(e1.message).toBe(
      'triage.tsv line 1: wrong delimiter: the header has a single column and looks tab-separated (use the tsv format)',
    )
    const e2 = await fails({ format: 'tsv', path: join(FIXTURES, 'triage.csv'), settings: PLACE })
    expect(e2.message).toMatch(
      /^triage\.csv line 1: wrong delimiter: .*comma-separated \(use the csv format\)$/,
    )
    const e3 = await fails({
      format: 'csv',
      path: file('semi.csv', 'question;answer\nq1;a1\n'),
      settings: PLACE,
    })
    expect(e3.message).toMatch(/^semi\.csv line 1: wrong delimiter: .*semicolon-separated/)
  })

  it('a missing required column names the column, the field it was mapped to, and the columns there are', async () => {
    const e = await fails({
      format: 'csv',
      path: join(FIXTURES, 'triage.csv'),
      map: { input: 'question', reference: 'correct_answer' },
      settings: PLACE,
    })
    expect(e.message).toBe(
      'triage.csv line 1: no column "correct_answer" in the file (chosen for the reference answer); the file\'s columns: "case_id", "question", "option_a", "option_b", "option_c", "answer", "ward"',
    )
    const e2 = await fails({
      format: 'csv',
      path: file('noref.csv', 'question,comment\nq,c\n'),
      settings: PLACE,
    })
    expect(e2.message).toMatch(
      /^noref\.csv line 1: no column is mapped to the reference answer; the file's columns: "question", "comment"$/,
    )
  })

  it('a row with the wrong number of fields names its line (counting multi-line quoted fields)', async () => {
    const p = file('ragged.csv', 'question,answer\n"two\nlines",a\nq3,b,extra\n')
    const e = await fails({ format: 'csv', path: p, settings: PLACE })
    expect(e.message).toMatch(
      /^ragged\.csv line 4: wrong number of fields: expected 2 \(as in the header\), found 3/,
    )
  })

  it('quotes CSV does not allow are refused at their line, as strict CSV parsers do', async () => {
    const stray = await fails({
      format: 'csv',
      path: file('stray.csv', 'question,answer\nq1,a\nq"2,b\n'),
      settings: PLACE,
    })
    expect(stray.message).toBe(
      'stray.csv line 3: a quote inside an unquoted field — quote the whole field and double the quotes in it ("")',
    )
    const after = await fails({
      format: 'csv',
      path: file('after.csv', 'question,answer\nq1,a\n"q2"x,b\n'),
      settings: PLACE,
    })
    expect(after.message).toBe(
      'after.csv line 3: a closing quote is followed by more text — quotes inside a quoted field must be doubled ("")',
    )
    const unclosed = await fails({
      format: 'csv',
      path: file('unclosed.csv', 'question,answer\nq1,a\n"q2,b\nq3,c\n'),
      settings: PLACE,
    })
    expect(unclosed.message).toBe(
      'unclosed.csv line 3: a quoted field is never closed — the file looks truncated or has a stray quote',
    )
  })

  it('CRLF line endings read the same instances as LF', async () => {
    const rows = ['question,answer', 'q1,a', '"q2, with a comma",b', 'q3,c']
    const lf = await runImport(ctx, {
      format: 'csv',
      benchmarkId: 'lf',
      path: file('lf.csv', rows.join('\n') + '\n'),
      settings: PLACE,
    })
    const crlf = await runImport(ctx, {
      format: 'csv',
      benchmarkId: 'crlf',
      path: file('crlf.csv', rows.join('\r\n') + '\r\n'),
      settings: PLACE,
    })
    expect(crlf.instanceCount).toBe(3)
    expect(crlf.contentHash).toBe(lf.contentHash)
  })

  it('invalid UTF-8 names the line of the bad byte', async () => {
    const p = file(
      'latin1.csv',
      Buffer.concat([
        Buffer.from('question,answer\nq1,a1\nq2,caf'),
        Buffer.from([0xe9]),
        Buffer.from(',x\n'),
      ]),
    )
    const e = await fails({ format: 'csv', path: p, settings: PLACE })
    expect(e.message).toMatch(/^latin1\.csv line 3: invalid UTF-8 \(byte offset 28\)/)
    const j = file(
      'latin1.jsonl',
      Buffer.concat([
        Buffer.from('{"input":"ok","reference":"x"}\n{"input":"'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}\n'),
      ]),
    )
    const e2 = await fails({ format: 'jsonl', path: j, settings: PLACE })
    expect(e2.message).toMatch(/^latin1\.jsonl line 2: invalid UTF-8/)
  })

  it('an empty file, a header-only file and a blank JSONL file', async () => {
    expect((await fails({ format: 'csv', path: file('empty.csv', ''), settings: PLACE })).message).toBe(
      'empty.csv is empty (0 bytes)',
    )
    expect((await fails({ format: 'jsonl', path: file('empty.jsonl', ''), settings: PLACE })).message).toBe(
      'empty.jsonl is empty (0 bytes)',
    )
    expect(
      (await fails({ format: 'csv', path: file('header.csv', 'question,answer\n'), settings: PLACE }))
        .message,
    ).toBe('header.csv: no instances found (the file has no data rows)')
    expect(
      (await fails({ format: 'jsonl', path: file('blank.jsonl', '\n\n  \n'), settings: PLACE })).message,
    ).toBe('blank.jsonl has no records (only blank lines)')
    expect((await fails({ format: 'pack', path: pack('') })).message).toMatch(/instances\.jsonl is empty/)
  })

  it('a 10 MB single line is refused without reading it whole (JSONL, CSV and pack)', async () => {
    const huge = 'x'.repeat(10 * 1024 * 1024)
    const e = await fails({
      format: 'jsonl',
      path: file('huge.jsonl', `{"input":"${huge}","reference":"a"}\n`),
      settings: PLACE,
    })
    expect(e.message).toMatch(/^huge\.jsonl line 1: the line is longer than 8 MiB, the limit for one record/)
    const e2 = await fails({
      format: 'csv',
      path: file('huge.csv', `question,answer\n${huge},a\n`),
      settings: PLACE,
    })
    expect(e2.message).toMatch(/^huge\.csv line 2: a record is longer than 8 MiB/)
    const e3 = await fails({ format: 'pack', path: pack(`${GOOD_LINES}${huge}`) })
    expect(e3.message).toMatch(/^instances\.jsonl line 4: the line is longer than 8 MiB/)
  })

  it('duplicate ids name the line and the earlier record', async () => {
    const e = await fails({
      format: 'csv',
      path: file('dups.csv', 'id,question,answer\na,q1,x\nb,q2,y\na,q3,z\n'),
      settings: PLACE,
    })
    expect(e.message).toBe(
      'dups.csv line 4: field "id": duplicate instance id (record #3 repeats the id of record #1); ids must be unique within a benchmark (nothing was imported)',
    )
    const lines = GOOD_LINES.trimEnd().split('\n')
    const e2 = await fails({
      format: 'pack',
      path: pack([...lines, lines[1]].join('\n')),
      settings: { version: 'with-dups' },
    })
    expect(e2.message).toMatch(/^instances\.jsonl line 4: field "id": duplicate instance id \(record/)
  })

  it('an unknown format lists the known ones', async () => {
    const e = await fails({ format: 'xlsx', path: join(FIXTURES, 'triage.csv') })
    expect(e.code).toBe('invalid_input')
    expect(e.message).toMatch(/^unknown format "xlsx"; known formats: pack, csv, tsv, jsonl/)
  })

  it('instances that fail validation are all listed by line and field, up to 50, and nothing is written', async () => {
    const lines = GOOD_LINES.trimEnd().split('\n')
    const bad = [
      lines[0],
      '{"id":"t9","input":"","choices":["Immediate","Urgent"],"references":["A"]}',
      '{"id":"t8","input":"q","choices":["Immediate","Urgent"],"references":["D"]}',
      '{"id":"t7","input":"q","choices":["x","y"],"reference":["A"]}',
    ]
    const e = await fails({ format: 'pack', path: pack(bad.slice(0, 3).join('\n') + '\n') })
    expect(e.message).toMatch(
      /^instances\.jsonl line 2: field "input": .*\(2 problems in all; nothing was imported\)$/,
    )
    expect(e.issues).toEqual([
      // In plain words: the field as the app names it, and no validator jargon.
      { path: ['instances.jsonl', 2, 'input'], message: 'is empty' },
      { path: ['instances.jsonl', 3, 'reference answer 1'], message: '"D" is not an option letter A–B' },
    ])
    // An unknown field in a pack (a typo of "references") is named.
    const e2 = await fails({ format: 'pack', path: pack([lines[0], bad[3]].join('\n')) })
    expect(e2.message).toMatch(/^instances\.jsonl line 2: field "reference": unknown field/)
  })

  it('a manifest that fails validation names manifest.json and the field', async () => {
    const m = JSON.parse(readFileSync(join(FIXTURES, 'triage-pack', 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >
    const e = await fails({
      format: 'pack',
      path: pack(GOOD_LINES, JSON.stringify({ ...m, taskType: 'essay' })),
    })
    expect(e.message).toMatch(/^manifest\.json: field "taskType": /)
    const e2 = await fails({
      format: 'pack',
      path: pack(
        GOOD_LINES,
        JSON.stringify({ ...m, taxonomy: { category: 'clinical_decision_support', subcategory: 'billing' } }),
      ),
    })
    expect(e2.message).toMatch(
      /^manifest\.json: field "taxonomy\.subcategory": "billing" is not a subcategory/,
    )
  })

  it('a table import without a taxonomy placement says how to give one', async () => {
    const e = await fails({
      format: 'csv',
      path: join(FIXTURES, 'triage.csv'),
      map: { input: 'question', reference: 'answer' },
    })
    expect(e.code).toBe('invalid_input')
    expect(e.message).toMatch(/choose where the benchmark belongs in the taxonomy \(a subcategory\)/)
  })

  it('a file that does not exist', async () => {
    const e = await fails({ format: 'csv', path: join(tmp.dir, 'nope.csv'), settings: PLACE })
    expect(e.code).toBe('not_found')
  })
})
