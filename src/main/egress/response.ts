/**
 * The Response the egress guard hands back: what `fetch` callers use of one — status, headers, and
 * the body read whole (`text`, `json`, `arrayBuffer`) or as a stream (`body`) — over the socket's
 * response, which keeps streaming (with back-pressure) as before.
 *
 * Why not a WHATWG Response: its body is a ReadableStream, and a web stream per request is costly
 * in Node 20 — each is a transferable object that outlives the young-generation collections with
 * what it references (200,000 short-lived streams: 361 MB promoted to the old generation, against
 * 4 MB for plain objects of the same size; V8's --trace-gc-nvp), and building one, its controller
 * and the Response around it was a good part of the transport's cost per model call (main-thread
 * CPU per call 0.23 → 0.195 ms once it went, bench/run-throughput.ts's transport loop). Here a
 * stream is made only for a caller that asks for `body`; a body read whole never makes one.
 */

/** Where the queued body goes once a reader takes it. */
interface BodySink {
  /** Takes a chunk; false when the reader wants no more for now (the socket pauses). */
  chunk(c: Uint8Array): boolean
  close(): void
  error(e: unknown): void
}

/** The socket side of a body: pausing and resuming the response. */
export interface BodyFlow {
  pause(): void
  resume(): void
}

type End = { kind: 'closed' } | { kind: 'failed'; error: unknown }

/**
 * A response body as it arrives: chunks wait (the socket paused) until one reader takes the body,
 * then go to it; its end — closed, or failed with the error — is kept for a reader that comes later.
 */
export class BodyQueue {
  private waiting: Uint8Array[] = []
  private end: End | null = null
  private sink: BodySink | null = null

  constructor(private readonly flow: BodyFlow) {}

  push(c: Uint8Array): void {
    if (this.sink) {
      if (!this.sink.chunk(c)) this.flow.pause()
      return
    }
    this.waiting.push(c)
    this.flow.pause()
  }

  close(): void {
    this.finish({ kind: 'closed' })
  }

  fail(error: unknown): void {
    this.finish({ kind: 'failed', error })
  }

  private finish(end: End): void {
    if (this.end) return
    this.end = end
    if (this.sink) deliver(this.sink, end)
  }

  /** The reader wants more: the socket goes on. */
  resume(): void {
    this.flow.resume()
  }

  /** Hands the body to its one reader: what arrived so far, then the rest as it comes. */
  attach(sink: BodySink): void {
    this.sink = sink
    let more = true
    for (const c of this.waiting) more = sink.chunk(c)
    this.waiting = []
    if (this.end) deliver(sink, this.end)
    else if (more) this.flow.resume()
  }
}

function deliver(sink: BodySink, end: End): void {
  if (end.kind === 'closed') sink.close()
  else sink.error(end.error)
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

export interface GuardedResponseInit {
  status: number
  statusText: string
  headers: Headers
  /** The body, or null for a status that has none (204, 304, …). */
  queue: BodyQueue | null
  /** The reader gave up on the body: the exchange ends here (its outcome row written). */
  cancel: () => Promise<void>
}

export class GuardedResponse {
  readonly ok: boolean
  readonly status: number
  readonly statusText: string
  readonly headers: Headers
  readonly type = 'basic'
  readonly url = ''
  readonly redirected = false
  private used = false
  private stream: ReadableStream<Uint8Array> | null = null

  constructor(private readonly init: GuardedResponseInit) {
    this.ok = init.status >= 200 && init.status < 300
    this.status = init.status
    this.statusText = init.statusText
    this.headers = init.headers
  }

  get bodyUsed(): boolean {
    return this.used
  }

  /** The body as a WHATWG stream (made on first use), or null for a status without a body. */
  get body(): ReadableStream<Uint8Array> | null {
    const { queue, cancel } = this.init
    if (!queue) return null
    this.stream ??= new ReadableStream<Uint8Array>({
      start(controller) {
        queue.attach({
          chunk: (c) => {
            controller.enqueue(c)
            return (controller.desiredSize ?? 1) > 0
          },
          close: () => controller.close(),
          error: (e) => controller.error(e),
        })
      },
      pull: () => queue.resume(),
      cancel,
    })
    return this.stream
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes()
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  }

  /** The whole body; it ends once the exchange's outcome row is committed, or fails with its error. */
  async bytes(): Promise<Uint8Array> {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read')
    this.used = true
    if (this.stream) return concat(await readAll(this.stream))
    const queue = this.init.queue
    if (!queue) return new Uint8Array(0)
    return new Promise((resolve, reject) => {
      const chunks: Uint8Array[] = []
      queue.attach({
        chunk: (c) => chunks.push(c) > 0,
        close: () => resolve(concat(chunks)),
        error: reject,
      })
    })
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes())
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.arrayBuffer()], { type: this.headers.get('content-type') ?? '' })
  }

  clone(): never {
    throw new TypeError('A response of the egress guard cannot be cloned; read its body once')
  }
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = []
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return chunks
    chunks.push(value)
  }
}
