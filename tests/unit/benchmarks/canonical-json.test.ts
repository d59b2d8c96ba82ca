import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../../../src/main/benchmarks/normalize'
import { seeded } from '../../support/seeded'

/**
 * The canonical JSON of instance metadata (docs/benchmark-pack.md: keys sorted by UTF-16 code
 * units, recursively; no whitespace) — against an independent writer that builds the text by
 * hand, for objects that take the one-JSON.stringify path (primitive values) and those that must
 * not (integer-like keys, which JSON.stringify would put first; "__proto__"; nested values).
 */

function oracle(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null'
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : oracle(x))).join(',')}]`
  const parts: string[] = []
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k]
    if (x === undefined || typeof x === 'function') continue
    parts.push(`${JSON.stringify(k)}:${oracle(x)}`)
  }
  return `{${parts.join(',')}}`
}

const KEYS = [
  'mrn',
  'age',
  'Sex',
  'admitted',
  'department',
  'é',
  'z',
  'a b',
  '"q"',
  '',
  '10',
  '9',
  '01',
  '__proto__',
]
const VALUES: unknown[] = [
  'text',
  'quote " and \\ and \n',
  'αβγ 🩺',
  '\ud800',
  0,
  -0,
  3.25,
  1e21,
  NaN,
  Infinity,
  true,
  false,
  null,
  undefined,
]

function randomObject(next: () => number, nested: boolean): Record<string, unknown> {
  const obj: Record<string, unknown> = {}
  const n = Math.floor(next() * 7)
  for (let i = 0; i < n; i++) {
    const key = KEYS[Math.floor(next() * KEYS.length)]!
    const value =
      nested && next() < 0.2
        ? next() < 0.5
          ? randomObject(next, false)
          : [VALUES[Math.floor(next() * VALUES.length)]]
        : VALUES[Math.floor(next() * VALUES.length)]
    // defineProperty, so "__proto__" is an own key as JSON.parse makes it.
    Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true })
  }
  return obj
}

describe('canonical JSON of metadata', () => {
  it('matches the documented form for 5,000 generated objects, flat and nested', () => {
    const next = seeded(20261205)
    for (let i = 0; i < 5000; i++) {
      const obj = randomObject(next, i % 2 === 1)
      expect(canonicalJson(obj), `case ${i}: keys ${JSON.stringify(Object.keys(obj))}`).toBe(oracle(obj))
    }
  })

  it('gives the documented form for objects whose keys are in sorted order already (a table import builds them so)', () => {
    const next = seeded(20261206)
    for (let i = 0; i < 2000; i++) {
      const shuffled = randomObject(next, i % 4 === 3)
      const sorted: Record<string, unknown> = {}
      for (const k of Object.keys(shuffled).sort())
        Object.defineProperty(sorted, k, {
          value: shuffled[k],
          enumerable: true,
          configurable: true,
          writable: true,
        })
      expect(canonicalJson(sorted), `case ${i}`).toBe(oracle(shuffled))
      expect(canonicalJson(shuffled)).toBe(canonicalJson(sorted))
    }
    expect(canonicalJson({ a: 'x', b: undefined, c: '"q"\n' })).toBe('{"a":"x","c":"\\"q\\"\\n"}')
  })

  it('sorts integer-like keys as text, keeps a "__proto__" key and drops undefined values', () => {
    expect(canonicalJson({ b: 1, 10: 'x', 9: 'y', a: 'z' })).toBe('{"10":"x","9":"y","a":"z","b":1}')
    const withProto = JSON.parse('{"z":1,"__proto__":"p","a":null}') as Record<string, unknown>
    expect(canonicalJson(withProto)).toBe('{"__proto__":"p","a":null,"z":1}')
    expect(canonicalJson({ b: undefined, a: 'x' })).toBe('{"a":"x"}')
  })

  it('gives the same text when rows with the same keys alternate with rows with other keys', () => {
    const rows = [
      { mrn: '1', age: '40' },
      { mrn: '2', age: '41', nested: { y: 1, x: 2 } },
      { mrn: '3', age: '42' },
      { 2: 'two', 1: 'one' },
      { mrn: '4', age: '43' },
    ]
    expect(rows.map(canonicalJson)).toEqual(rows.map(oracle))
  })
})
