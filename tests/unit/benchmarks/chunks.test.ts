import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CHUNK_INSTANCES,
  allInstances,
  builtChunk,
  each,
  inChunks,
} from '../../../src/main/benchmarks/importers/chunks'
import { csvImporter } from '../../../src/main/benchmarks/importers/tabular'
import type { InstanceChunk, SourcePosition } from '../../../src/main/benchmarks/importers/types'
import { instanceRows } from '../../../src/main/benchmarks/instance-rows'
import type { PackInstanceInput } from '../../../src/shared/benchmarks/pack'

/**
 * Instances in chunks (importers/types.ts, InstanceChunk): one await per chunk, instances taken
 * synchronously, positions kept per instance, and a source's failure after the instances before it.
 */

const inst = (n: number): PackInstanceInput => ({ id: `q${n}`, input: `question ${n}`, references: ['A'] })

async function collect(chunks: AsyncIterable<InstanceChunk>) {
  const out: { sizes: number[]; ids: string[]; lines: (number | null)[] } = { sizes: [], ids: [], lines: [] }
  for await (const c of chunks) {
    out.sizes.push(c.length)
    for (let i = 0; i < c.length; i++) {
      out.ids.push(c.instance(i).id)
      out.lines.push(c.position(i)?.line ?? null)
    }
  }
  return out
}

describe('inChunks', () => {
  it('groups a stream into chunks of CHUNK_INSTANCES, each instance with the position read after it', async () => {
    const n = 2 * CHUNK_INSTANCES + 3
    let current: SourcePosition | null = null
    async function* source() {
      for (let i = 0; i < n; i++) {
        current = { file: 'x.jsonl', line: 10 + i }
        yield inst(i)
      }
    }
    const got = await collect(inChunks(source(), () => current))
    expect(got.sizes).toEqual([CHUNK_INSTANCES, CHUNK_INSTANCES, 3])
    expect(got.ids).toEqual(Array.from({ length: n }, (_, i) => `q${i}`))
    expect(got.lines).toEqual(Array.from({ length: n }, (_, i) => 10 + i))
  })

  it('gives the instances read before a failure first, then the failure', async () => {
    async function* source() {
      yield inst(0)
      yield inst(1)
      throw new Error('line 3: broken')
    }
    const seen: string[] = []
    let error: unknown
    try {
      for await (const c of inChunks(source())) for (let i = 0; i < c.length; i++) seen.push(c.instance(i).id)
    } catch (e) {
      error = e
    }
    expect(seen).toEqual(['q0', 'q1'])
    expect((error as Error).message).toBe('line 3: broken')
  })

  it('knows no position when the importer tells none, and yields nothing for an empty stream', async () => {
    async function* one() {
      yield inst(7)
    }
    async function* none(): AsyncGenerator<PackInstanceInput> {}
    expect(await collect(inChunks(one()))).toEqual({ sizes: [1], ids: ['q7'], lines: [null] })
    expect((await collect(inChunks(none()))).sizes).toEqual([])
    expect((await collect(each([]))).sizes).toEqual([])
    expect((await collect(each([inst(1), inst(2)]))).ids).toEqual(['q1', 'q2'])
  })

  it('allInstances flattens chunks in order', async () => {
    async function* chunks() {
      yield builtChunk([inst(1), inst(2)])
      yield builtChunk([inst(3)], [{ file: 'f', line: 4 }])
    }
    const ids: string[] = []
    for await (const i of allInstances(chunks())) ids.push(i.id)
    expect(ids).toEqual(['q1', 'q2', 'q3'])
  })
})

describe('a CSV import in chunks', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'we-chunks-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const settings = { subcategory: 'supporting_diagnostic_decisions', taskType: 'open_ended' }

  it('builds each row only when it is taken, so a bad row fails after the rows before it were stored', async () => {
    const rows = ['id,question,answer,choices']
    for (let i = 1; i <= 40; i++) rows.push(`r${i},question ${i},A,`)
    rows.push('r41,question 41,A,[not json')
    const path = join(dir, 'bad-choices.csv')
    writeFileSync(path, rows.join('\n') + '\n')
    const imported = await csvImporter.read(path, {
      map: { input: 'question', reference: 'answer', id: 'id', choices: 'choices' },
      settings,
    })
    const taken: string[] = []
    let error: unknown
    try {
      for await (const c of imported.instances)
        for (let i = 0; i < c.length; i++) {
          const pos = c.position(i)
          expect(pos).toEqual({ file: 'bad-choices.csv', line: i + 2 })
          taken.push(c.instance(i).id)
        }
    } catch (e) {
      error = e
    }
    expect(taken).toHaveLength(40)
    expect(taken.at(-1)).toBe('r40')
    expect((error as Error).message).toMatch(/^bad-choices\.csv line 42: field "choices": not a JSON array/)
  })

  it('names the line of an invalid row when the rows come in chunks', async () => {
    const rows = ['id,question,answer']
    for (let i = 1; i <= 3000; i++) rows.push(`r${i},question ${i},${i === 2500 ? '' : 'A'}`)
    const path = join(dir, 'missing-answer.csv')
    writeFileSync(path, rows.join('\n') + '\n')
    const imported = await csvImporter.read(path, {
      map: { input: 'question', reference: 'answer', id: 'id' },
      settings,
    })
    const out = instanceRows(imported, 1000)
    let stored = 0
    let error: unknown
    try {
      for await (const b of out.batches) stored += b.lines.length
    } catch (e) {
      error = e
    }
    expect(stored).toBe(2000)
    expect((error as Error).message).toMatch(/^missing-answer\.csv line 2501: field "reference answers"/)
  })
})
