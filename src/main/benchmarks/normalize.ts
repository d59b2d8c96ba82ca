import type { PackInstance } from '../../shared/benchmarks/pack'

/**
 * The normalized form of an instance and the content hash of a benchmark version.
 *
 * An instance is normalized by the pack schema (defaults applied: split 'test', metadata {}), then
 * written as one line of canonical JSON:
 *
 *   [id, split, input, choices|null, references, metadata]\n
 *
 * with object keys sorted (recursively) and no insignificant whitespace. The version's content hash
 * is sha256 over these lines in file order, so the same instances in the same order always give the
 * same hash, whatever file format or importer produced them. (docs/benchmark-pack.md)
 */

/** JSON with object keys sorted recursively; undefined members dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`
  const obj = value as Record<string, unknown>
  const order = keyOrder(Object.keys(obj))
  const flat = flatCanonical(obj, order)
  if (flat !== null) return flat
  let out = ''
  for (let i = 0; i < order.keys.length; i++) {
    const v = obj[order.keys[i]!]
    if (v === undefined || typeof v === 'function') continue
    out += `${out ? ',' : '{'}${order.prefixes[i]!}${typeof v === 'object' && v !== null ? canonicalJson(v) : (JSON.stringify(v) ?? 'null')}`
  }
  return out ? out + '}' : '{}'
}

interface KeyOrder {
  keys: string[]
  /** `"key":` for each key. */
  prefixes: string[]
  /** Whether the object's own key order is already the sorted order. */
  inOrder: boolean
  /**
   * Whether a copy of the object with its keys inserted in sorted order keeps them in that order
   * and loses none: not when a key is integer-like (JSON.stringify puts array indices first, in
   * numeric order) or is "__proto__" (assigning it sets the prototype).
   */
  copyable: boolean
}

const isPrimitive = (v: unknown) =>
  v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'

/**
 * The canonical JSON of an object whose values are all primitives (a table row's metadata), as one
 * JSON.stringify of the object itself when its keys are in sorted order already (a table import
 * builds them so), else of a copy with its keys in sorted order: the same text as the general path,
 * made at once as one flat string instead of a chain of concatenations. Null when it does not apply.
 */
function flatCanonical(obj: Record<string, unknown>, order: KeyOrder): string | null {
  if (!order.copyable) return null
  if (order.inOrder) {
    for (const k of order.keys) if (!isPrimitive(obj[k])) return null
    return JSON.stringify(obj)
  }
  const copy: Record<string, unknown> = {}
  for (const k of order.keys) {
    const v = obj[k]
    if (!isPrimitive(v)) return null
    copy[k] = v
  }
  return JSON.stringify(copy)
}

/**
 * Object keys in sorted order. Table imports give every row's metadata the same keys in the same
 * order, so the last order computed is kept and reused while the keys stay the same.
 */
let lastKeys: string[] = []
let lastOrder: KeyOrder = { keys: [], prefixes: [], inOrder: true, copyable: true }
function keyOrder(keys: string[]): KeyOrder {
  if (keys.length === lastKeys.length) {
    let same = true
    for (let i = 0; i < keys.length; i++)
      if (keys[i] !== lastKeys[i]) {
        same = false
        break
      }
    if (same) return lastOrder
  }
  const sorted = [...keys].sort()
  lastKeys = keys
  lastOrder = {
    keys: sorted,
    prefixes: sorted.map((k) => `${JSON.stringify(k)}:`),
    inOrder: sorted.every((k, i) => k === keys[i]),
    copyable: sorted.every((k) => k !== '__proto__' && !/^\d+$/.test(k)),
  }
  return lastOrder
}

/**
 * An instance's normalized values, appended to `out` in row order: id, split, input,
 * choices (JSON array or null), references (JSON array), metadata (canonical JSON).
 */
export function pushNormalized(i: PackInstance, out: (string | null)[]): void {
  out.push(
    i.id,
    i.split,
    i.input,
    i.choices ? JSON.stringify(i.choices) : null,
    JSON.stringify(i.references),
    canonicalJson(i.metadata),
  )
}

/** The canonical line of the normalized row starting at `values[at]` (see pushNormalized). */
export function canonicalLine(values: readonly (string | null)[], at: number): string {
  return `[${JSON.stringify(values[at])},${JSON.stringify(values[at + 1])},${JSON.stringify(values[at + 2])},${values[at + 3] ?? 'null'},${values[at + 4]},${values[at + 5]}]\n`
}
