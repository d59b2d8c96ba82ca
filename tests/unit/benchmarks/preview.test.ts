import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportPreview } from '../../../src/shared/api/benchmarks'
import type { TempContext } from '../../support/context'
import { callThrough, routerFor } from '../../support/router'
import { FIXTURES, benchCtx } from './helpers'
import { duplicateIdIssues } from '../../../src/main/benchmarks/preview'
import { plainField } from '../../../src/main/benchmarks/plain-issues'

let ctx: TempContext
let dir: string
beforeEach(() => {
  ctx = benchCtx()
  dir = mkdtempSync(join(tmpdir(), 'wardeval-preview-'))
})
afterEach(() => {
  ctx.dispose()
  rmSync(dir, { recursive: true, force: true })
})
const preview = (input: unknown) => callThrough<ImportPreview>(routerFor(ctx), 'benchmarks:preview', input)
const file = (name: string, text: string) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}
const PLACE = { subcategory: 'supporting_diagnostic_decisions' }

describe('import preview for the wizard', () => {
  it('guesses id, question, answer and the option columns, and returns the mapping as column lists', async () => {
    const p = await preview({ format: 'csv', path: join(FIXTURES, 'triage.csv'), settings: PLACE })
    expect(p.resolved).toEqual({
      input: ['question'],
      reference: ['answer'],
      id: 'case_id',
      choices: ['option_a', 'option_b', 'option_c'],
      split: null,
      metadata: ['ward'],
    })
    expect(p.manifest?.taskType).toBe('multiple_choice')
  })

  it('maps columns by list, so a column name with "+" or "|" works', async () => {
    const p = await preview({
      format: 'csv',
      path: file('odd.csv', 'note+history,dx|final,k\nchest pain,ACS,1\nankle,sprain,2\n'),
      map: { input: ['note+history'], reference: ['dx|final'], id: ['k'] },
      settings: PLACE,
    })
    expect(p.issues).toEqual([])
    expect(p.instances.map((i) => [i.id, i.input, i.references])).toEqual([
      ['1', 'chest pain', ['ACS']],
      ['2', 'ankle', ['sprain']],
    ])
  })

  it('shows the exact prompt a model will receive, with the instructions and answer label given', async () => {
    const p = await preview({
      format: 'csv',
      path: join(FIXTURES, 'triage.csv'),
      settings: { ...PLACE, instructions: 'Choose the triage level.', outputNoun: 'Answer' },
    })
    expect(p.prompts).toHaveLength(3)
    expect(p.prompts[0]).toEqual({
      id: 't1',
      prompt:
        'Choose the triage level.\n\nA 67-year-old man has crushing chest pain for 40 minutes. Which triage level?\nA. Immediate\nB. Urgent\nC. Routine\nAnswer:',
    })
  })

  it('flags repeated ids by line without printing the id', async () => {
    const p = await preview({
      format: 'csv',
      path: file('dups.csv', 'id,question,answer\nMRN123,q1,a\nMRN456,q2,b\nMRN123,q3,c\n'),
      settings: PLACE,
    })
    expect(p.issues).toEqual([
      {
        line: 4,
        field: 'instance id',
        message: 'repeats the id of line 2; ids must be unique, so the import would stop here',
      },
    ])
    expect(JSON.stringify(p.issues)).not.toContain('MRN')
  })

  it('speaks plainly: no CLI flags, schema paths or validator jargon', async () => {
    const p = await preview({
      format: 'csv',
      path: file('gaps.csv', 'question,answer,comment\n,a,x\nq2,b,y\n'),
      settings: {},
    })
    const text = JSON.stringify(p.issues)
    expect(p.issues).toContainEqual({ line: 2, field: 'input', message: 'is empty' })
    expect(text).toMatch(/choose where the benchmark belongs in the taxonomy/)
    expect(text).not.toMatch(/--[a-z]|references\.\d|Too small|expected string/)
    const none = await preview({
      format: 'csv',
      path: file('x.csv', 'comment,other\na,b\n'),
      settings: PLACE,
    })
    expect(none.issues[0]!.message).toMatch(/no column is mapped to the input \(the text the model reads\)/)
    expect(none.resolved).toBeNull()
    expect(none.prompts).toEqual([])
  })
})

describe('plain words', () => {
  it('names fields as the app does', () => {
    expect(plainField(['references', 0])).toBe('reference answer 1')
    expect(plainField(['choices', 2])).toBe('option C')
    expect(plainField(['metadata', 'ward'])).toBe('metadata "ward"')
    expect(plainField(['id'])).toBe('instance id')
  })
  it('duplicate ids are found in order', () => {
    expect(
      duplicateIdIssues([
        { id: 'a', line: 2 },
        { id: 'b', line: 3 },
        { id: 'a', line: 4 },
        { id: 'a', line: 5 },
      ]).map((i) => i.line),
    ).toEqual([4, 5])
  })
})
