import { createHash, type Hash } from 'node:crypto'
import { JSON_ESCAPE_WASM } from './json-escape-wasm'
import { canonicalLine } from './normalize'

/**
 * sha256 over the canonical lines of normalized rows (./normalize.ts: `canonicalLine`), the
 * content hash of a benchmark version. The lines are written into a 4 MiB buffer and hashed a
 * buffer at a time. A row is written there as UTF-8 in one go (its id, split and input, then the
 * rest of its line, JSON already), and a small WebAssembly function (./json-escape.wat) writes its
 * canonical line from it: the three strings escaped byte for byte as JSON.stringify escapes them,
 * at a fraction of its cost (in Node 20 JSON.stringify takes ~2.4 ns per character: about a fifth of
 * the storing thread’s time in a large import, bench/cli-import.ts), each found by its length in
 * UTF-16 code units. A row too large for the buffer, with U+FFFD in one of those strings (a lone
 * surrogate becomes U+FFFD in UTF-8, but JSON.stringify writes it as \udxxx), or whose strings join
 * two lone surrogates into one character, is written with `canonicalLine`.
 */

/** The buffer (the WebAssembly memory): a row as written at RAW…OUT, canonical lines at OUT…END. */
const RAW = 0
const OUT = 1 << 20
const END = 4 << 20

interface Escaper {
  mem: Buffer
  /**
   * json-escape.wat's `line`: the canonical line of the row written at `from` (`bytes` long; its
   * id, split and input `id`, `split` and `input` code units long) written at `to`.
   */
  line: (from: number, id: number, split: number, input: number, bytes: number, to: number) => number
}

let compiled: WebAssembly.Module | null = null
const encoder = new TextEncoder()

function escaper(): Escaper {
  compiled ??= new WebAssembly.Module(Buffer.from(JSON_ESCAPE_WASM, 'base64'))
  const exports = new WebAssembly.Instance(compiled).exports as {
    memory: WebAssembly.Memory
    line: Escaper['line']
  }
  if (exports.memory.buffer.byteLength < END) throw new Error('json-escape: memory smaller than expected')
  return { mem: Buffer.from(exports.memory.buffer), line: exports.line }
}

export class ContentHasher {
  private readonly hash: Hash = createHash('sha256')
  private readonly mem: Buffer
  /** The region a row is written to (RAW…OUT). */
  private readonly raw: Uint8Array
  private readonly line: Escaper['line']
  private used = OUT

  constructor() {
    ;({ mem: this.mem, line: this.line } = escaper())
    this.raw = this.mem.subarray(RAW, OUT)
  }

  /** Adds the normalized row starting at `values[at]`. */
  add(values: readonly (string | null)[], at: number): void {
    const id = values[at] as string
    const split = values[at + 1] as string
    const input = values[at + 2] as string
    // One write of the whole row (four writes, one per string, took ~15 % longer in all).
    const row = `${id}${split}${input}${values[at + 3] ?? 'null'},${values[at + 4]},${values[at + 5]}]\n`
    // A UTF-16 code unit is at most 3 UTF-8 bytes, and escaping makes a byte at most 6 (\u00xx).
    const room = 18 * row.length + 16
    if (3 * row.length > OUT || room > END - OUT) return this.addLine(canonicalLine(values, at))
    if (this.used + room > END) this.flush()
    // TextEncoder writes UTF-8 as Buffer#write does (a lone surrogate as U+FFFD), ~15 % faster.
    const bytes = encoder.encodeInto(row, this.raw).written
    const d = this.line(RAW, id.length, split.length, input.length, bytes, this.used)
    if (d < 0) return this.addLine(canonicalLine(values, at))
    this.used = d
  }

  digest(): string {
    this.flush()
    return this.hash.digest('hex')
  }

  /** Adds a line made by canonicalLine. */
  private addLine(line: string): void {
    if (this.used + line.length * 3 > END) this.flush()
    if (line.length * 3 > END - OUT) this.hash.update(line, 'utf8')
    else this.used += this.mem.write(line, this.used)
  }

  private flush(): void {
    if (this.used > OUT) this.hash.update(this.mem.subarray(OUT, this.used))
    this.used = OUT
  }
}
