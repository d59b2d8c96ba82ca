import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ContentHasher } from '../../../src/main/benchmarks/content-hash'
import { JSON_ESCAPE_WASM } from '../../../src/main/benchmarks/json-escape-wasm'
import { canonicalLine } from '../../../src/main/benchmarks/normalize'
// @ts-expect-error: a build script in plain JavaScript, without types
import { compileJsonEscape } from '../../../scripts/json-escape-wasm.mjs'
import { seeded } from '../../support/seeded'

/**
 * The content hash is defined by canonicalLine (JSON.stringify of id, split and input); the hasher
 * escapes those strings in WebAssembly (src/main/benchmarks/json-escape.wat) and must give the
 * same bytes for every string, whatever it holds.
 */

type Row = [string, string, string, string | null, string, string]

/** sha256 of the rows' lines exactly as the definition writes them. */
function reference(rows: Row[]): string {
  const h = createHash('sha256')
  for (const r of rows) h.update(canonicalLine(r, 0), 'utf8')
  return h.digest('hex')
}

function hashed(rows: Row[]): string {
  const hasher = new ContentHasher()
  const values = rows.flat()
  for (let at = 0; at < values.length; at += 6) hasher.add(values, at)
  return hasher.digest()
}

// Every control character, what JSON escapes, what it does not (DEL, U+2028), Latin-1 and wider
// characters, U+FFFD, both halves of a surrogate pair alone and a whole pair, and plain text (runs
// of 16 and more take the SIMD path).
const TRICKY = [
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)),
  '"',
  '\\',
  '/',
  '\x7f',
  'é',
  'ÿ',
  '→',
  '\u2028',
  '\u2029',
  '\ufffd',
  '\ud800',
  '\udfff',
  '😀',
  '\ufeff',
  'The patient',
  ' ',
  'a'.repeat(16),
  'b'.repeat(37),
]

function text(next: () => number, max: number): string {
  let s = ''
  const n = Math.floor(next() * max)
  for (let i = 0; i < n; i++) s += TRICKY[Math.floor(next() * TRICKY.length)]
  return s
}

describe('the content hasher', () => {
  it('gives the hash of the canonical lines for strings of every kind (5,000 generated rows)', () => {
    const next = seeded(7)
    const rows: Row[] = Array.from({ length: 5000 }, (_, i) => [
      text(next, 6) || `r${i}`,
      next() < 0.8 ? 'test' : text(next, 4),
      text(next, 120),
      next() < 0.5 ? null : JSON.stringify([text(next, 5), 'b']),
      JSON.stringify([text(next, 8)]),
      JSON.stringify({ ward: text(next, 5) }),
    ])
    expect(hashed(rows)).toBe(reference(rows))
  })

  it('each kind of character alone, at every position around the 16-byte steps', () => {
    const rows: Row[] = []
    for (const c of TRICKY)
      for (const pad of [0, 1, 14, 15, 16, 17, 31, 32, 33])
        rows.push(['id', 'test', 'x'.repeat(pad) + c + 'y'.repeat(pad % 5), null, '[]', '{}'])
    for (const [i, row] of rows.entries()) expect(hashed([row]), `row ${i}`).toBe(reference([row]))
  })

  it('two lone surrogates that join into one character where one string ends and the next begins', () => {
    const rows: Row[] = [
      ['id\ud83d', '\ude00split', 'input', null, '[]', '{}'],
      ['id', 'split\ud83d', '\ude00input', null, '[]', '{}'],
      ['\ud83d', '\ude00', '\ud83d\ude00', null, '[]', '{}'],
      ['id', 'test', 'input\ud83d', '["\ude00"]', '[]', '{}'],
      ['a'.repeat(17) + '\ud800', '\udc00' + 'b'.repeat(17), 'c'.repeat(33) + '😀', null, '[]', '{}'],
    ]
    for (const [i, row] of rows.entries()) expect(hashed([row]), `row ${i}`).toBe(reference([row]))
    expect(hashed(rows)).toBe(reference(rows))
  })

  it('rows larger than its buffer, and enough rows to fill it many times, in order', () => {
    const big = 'é'.repeat(600_000) // over 1 MiB of UTF-8: written with canonicalLine
    const controls = '\u0001'.repeat(200_000) // six bytes each once escaped
    const rows: Row[] = [
      ['a', 'test', 'before', null, '[]', '{}'],
      ['b', 'test', big, null, '["r"]', '{}'],
      ['c', 'test', controls, null, '["r"]', '{}'],
      ...Array.from({ length: 20_000 }, (_, i): Row => [
        `n${i}`,
        'train',
        `note ${i}\n"quoted"`.repeat(30),
        null,
        '["x"]',
        '{}',
      ]),
      ['z', 'test', 'after', '["o"]', '["r"]', '{"k":1}'],
    ]
    expect(hashed(rows)).toBe(reference(rows))
  })

  it('an empty version hashes as nothing at all', () => {
    expect(new ContentHasher().digest()).toBe(createHash('sha256').digest('hex'))
  })

  it('the WebAssembly module in the source is json-escape.wat compiled (scripts/json-escape-wasm.mjs)', async () => {
    expect(await compileJsonEscape()).toBe(JSON_ESCAPE_WASM)
  })
})
