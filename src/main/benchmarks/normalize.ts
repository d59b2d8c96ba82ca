import { createHash, type Hash } from 'node:crypto'
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
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function')
    .sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
}

export interface NormalizedInstance {
  id: string
  split: string
  input: string
  choicesJson: string | null
  referencesJson: string
  metadataJson: string
}

export function normalizeInstance(i: PackInstance): NormalizedInstance {
  return {
    id: i.id,
    split: i.split,
    input: i.input,
    choicesJson: i.choices ? JSON.stringify(i.choices) : null,
    referencesJson: JSON.stringify(i.references),
    metadataJson: canonicalJson(i.metadata),
  }
}

export function canonicalLine(n: NormalizedInstance): string {
  return `[${JSON.stringify(n.id)},${JSON.stringify(n.split)},${JSON.stringify(n.input)},${n.choicesJson ?? 'null'},${n.referencesJson},${n.metadataJson}]\n`
}

/** sha256 over canonical lines, encoded into a reused 1 MiB buffer (far faster than hashing strings). */
export class ContentHasher {
  private readonly hash: Hash = createHash('sha256')
  private readonly buf = Buffer.allocUnsafe(1 << 20)
  private used = 0

  add(n: NormalizedInstance): void {
    const line = canonicalLine(n)
    // A UTF-16 code unit is at most 3 UTF-8 bytes.
    if (this.used + line.length * 3 > this.buf.length) {
      this.flush()
      if (line.length * 3 > this.buf.length) {
        this.hash.update(line, 'utf8')
        return
      }
    }
    this.used += this.buf.write(line, this.used, 'utf8')
  }

  private flush(): void {
    if (this.used) this.hash.update(this.buf.subarray(0, this.used))
    this.used = 0
  }

  digest(): string {
    this.flush()
    return this.hash.digest('hex')
  }
}
