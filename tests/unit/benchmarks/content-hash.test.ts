import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runImport } from '../../../src/main/benchmarks/import'
import { canonicalJson } from '../../../src/main/benchmarks/normalize'
import { EHR_MAP, writeCsv } from '../../../bench/ehr-csv'
import { perTestContext } from './helpers'

/**
 * A benchmark version's content hash never changes for the same file: runs, reports and manifests
 * name versions by it. These pin known hashes (taken before the import pipeline was reworked for
 * speed) for files spanning several batches, with the content that stresses the normalized form:
 * JSON escapes (quotes, backslashes, control characters), non-ASCII text and astral characters,
 * metadata keys out of order (one named "__proto__"), options and splits. Each is also checked
 * against the documented formula (docs/benchmark-pack.md), computed here independently, and the
 * stored rows against the instances the file holds.
 */

const each = perTestContext()

interface Expected {
  id: string
  split: string
  input: string
  choices: string[] | null
  references: string[]
  metadata: Record<string, unknown>
}

/** sha256 over `[id, split, input, choices|null, references, metadata]\n`, keys sorted. */
function documentedHash(instances: Expected[]): string {
  const h = createHash('sha256')
  for (const i of instances)
    h.update(canonicalJson([i.id, i.split, i.input, i.choices, i.references, i.metadata]) + '\n')
  return h.digest('hex')
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)

const TEXTS = [
  'plain question',
  'quotes "inside" and a back\\slash',
  'line one\nline two\r\nline three',
  'tab\there, bell \u0007 and NUL-free control \u001f',
  'accents: café, naïve, Ærø; Greek αβγ; CJK 病歷',
  'astral 🩺 stethoscope and 𝔘 math',
  'ends with a quote"',
  '<script>alert(1)</script> & =SUM(A1)',
]

/** A multiple-choice CSV of `n` rows: option columns, a split column, metadata out of order. */
function mcCsv(n: number): { path: string; instances: Expected[] } {
  const header = ['zeta', 'case', 'question', 'A', 'B', 'C', 'answer', 'split', '__proto__', 'alpha']
  const lines = [header.join(',')]
  const instances: Expected[] = []
  for (let i = 1; i <= n; i++) {
    const q = `${TEXTS[i % TEXTS.length]} #${i}`
    const opts = [`opt ${i % 5}`, TEXTS[(i + 3) % TEXTS.length]!, `third ${i}`]
    const answer = 'ABC'[i % 3]!
    const split = i % 4 === 0 ? 'train' : 'test'
    const [zeta, proto, alpha] = [`z${i % 9}`, `p${i}`, TEXTS[(i + 1) % TEXTS.length]!]
    lines.push([zeta, `c-${i}`, q, ...opts, answer, split, proto, alpha].map(csvCell).join(','))
    const metadata: Record<string, unknown> = { zeta, alpha }
    Object.defineProperty(metadata, '__proto__', { value: proto, enumerable: true })
    instances.push({ id: `c-${i}`, split, input: q, choices: opts, references: [answer], metadata })
  }
  const path = join(each.dir(), 'mc.csv')
  writeFileSync(path, lines.join('\r\n') + '\r\n')
  return { path, instances }
}

/** A JSONL file with nested metadata: numbers, booleans, null, arrays, nested objects. */
function nestedJsonl(n: number): { path: string; instances: Expected[] } {
  const lines: string[] = []
  const instances: Expected[] = []
  for (let i = 1; i <= n; i++) {
    const record = {
      note: TEXTS[i % TEXTS.length]!,
      label: `label ${i % 11}`,
      uid: `u${i}`,
      z: { b: [1, 2.5, -3e-7, true, null], a: { y: 'é', x: i } },
      count: i,
      flag: i % 2 === 0,
    }
    lines.push(JSON.stringify(record))
    instances.push({
      id: `u${i}`,
      split: 'test',
      input: record.note,
      choices: null,
      references: [record.label],
      metadata: { z: record.z, count: i, flag: record.flag },
    })
  }
  const path = join(each.dir(), 'nested.jsonl')
  writeFileSync(path, lines.join('\n') + '\n')
  return { path, instances }
}

function storedRows(benchmarkId: string): Expected[] {
  const rows = each
    .ctx()
    .db.prepare(
      `SELECT ext_id, split, input, choices_json, references_json, metadata_json FROM instances i
       JOIN benchmark_versions v ON v.id = i.benchmark_version_id WHERE v.benchmark_id = ? ORDER BY ordinal`,
    )
    .all(benchmarkId) as Record<string, string | null>[]
  return rows.map((r) => ({
    id: r.ext_id!,
    split: r.split!,
    input: r.input!,
    choices: r.choices_json === null ? null : (JSON.parse(r.choices_json!) as string[]),
    references: JSON.parse(r.references_json!) as string[],
    metadata: JSON.parse(r.metadata_json!) as Record<string, unknown>,
  }))
}

describe('content hash of an import', () => {
  it('a multiple-choice CSV with escapes, non-ASCII text and odd metadata keys keeps its known hash', async () => {
    const { path, instances } = mcCsv(2345)
    const r = await runImport(each.ctx(), {
      format: 'csv',
      path,
      benchmarkId: 'mc_hash',
      map: { input: 'question', reference: 'answer', id: 'case', choices: 'A|B|C', split: 'split' },
      settings: { subcategory: 'planning_treatments', taskType: 'multiple_choice' },
    })
    expect(r.instanceCount).toBe(2345)
    expect(storedRows('mc_hash')).toEqual(instances)
    expect(r.contentHash).toBe(documentedHash(instances))
    expect(r.contentHash).toBe('ca3dec9e001b098c814a15ac863d56ff7e656ba0b2efb2ceaaa8b408e0630455')
  })

  it('a JSONL file with nested metadata keeps its known hash', async () => {
    const { path, instances } = nestedJsonl(1500)
    const r = await runImport(each.ctx(), {
      format: 'jsonl',
      path,
      benchmarkId: 'nested_hash',
      map: { input: 'note', reference: 'label', id: 'uid' },
      settings: { subcategory: 'planning_treatments' },
    })
    expect(r.contentHash).toBe(documentedHash(instances))
    expect(r.contentHash).toBe('20f675fb0d0d726509a9be963e96781fa8f0264ebb3472f645e56551315be047')
    expect(storedRows('nested_hash')).toEqual(instances)
  })

  it('the import bench’s EHR extract keeps its known hash', async () => {
    const path = join(each.dir(), 'ehr.csv')
    await writeCsv(path, 3000)
    const r = await runImport(each.ctx(), {
      format: 'csv',
      path,
      benchmarkId: 'ehr_hash',
      map: { ...EHR_MAP },
      settings: { subcategory: 'supporting_diagnostic_decisions', taskType: 'open_ended' },
    })
    expect(r.instanceCount).toBe(3000)
    expect(r.contentHash).toBe('63746a9059873ecc844f61f9c6017bd90d250d7c5e8089a3a91b380e54c6d103')
  })
})
