import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuditRow } from '../../../src/main/audit/chain'
import { EgressGuard } from '../../../src/main/egress/guard'
import { BodyQueue, GuardedResponse } from '../../../src/main/egress/response'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { scriptedNetwork } from './helpers'

/** A socket side that records whether it is paused. */
function flow() {
  const f = { paused: false, pauses: 0, resumes: 0 }
  return Object.assign(f, {
    pause: () => {
      f.paused = true
      f.pauses++
    },
    resume: () => {
      f.paused = false
      f.resumes++
    },
  })
}

const bytes = (s: string) => new TextEncoder().encode(s)

function response(status = 200, queue: BodyQueue | null, cancel = vi.fn(async () => {})) {
  return new GuardedResponse({
    status,
    statusText: 'OK',
    headers: new Headers({ 'content-type': 'application/json' }),
    queue,
    cancel,
  })
}

describe('the guard’s response', () => {
  it('keeps what arrives before it is read (the socket paused) and hands it over in order', async () => {
    const f = flow()
    const q = new BodyQueue(f)
    q.push(bytes('{"a":'))
    expect(f.paused).toBe(true)
    q.push(bytes('1}'))
    const r = response(200, q)
    const read = r.json()
    expect(f.paused).toBe(false) // the reader took the body: the socket goes on
    q.close()
    await expect(read).resolves.toEqual({ a: 1 })
    expect(r.bodyUsed).toBe(true)
    await expect(r.text()).rejects.toThrow(TypeError)
  })

  it('an end or an error that came before the reader reaches it', async () => {
    const closed = new BodyQueue(flow())
    closed.push(bytes('done'))
    closed.close()
    await expect(response(200, closed).text()).resolves.toBe('done')
    const failed = new BodyQueue(flow())
    failed.push(bytes('par'))
    const boom = new Error('connection dropped')
    failed.fail(boom)
    failed.close() // a later end changes nothing
    await expect(response(200, failed).arrayBuffer()).rejects.toBe(boom)
  })

  it('decodes UTF-8 across chunk boundaries and drops a byte-order mark, as Response.text does', async () => {
    const q = new BodyQueue(flow())
    const all = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('café 🩺')])
    q.push(all.subarray(0, 5))
    q.push(all.subarray(5, 9))
    q.push(all.subarray(9))
    q.close()
    expect(await response(200, q).text()).toBe('café 🩺')
  })

  it('as a stream: back-pressure pauses the socket, reading resumes it, cancelling ends the exchange', async () => {
    const f = flow()
    const q = new BodyQueue(f)
    const cancel = vi.fn(async () => {})
    const r = response(200, q, cancel)
    const reader = r.body!.getReader()
    expect(r.body).toBe(r.body) // one stream, made once
    q.push(bytes('one'))
    expect(f.paused).toBe(true) // the stream's queue is full (high-water mark 1)
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('one')
    expect(f.paused).toBe(false)
    await reader.cancel()
    expect(cancel).toHaveBeenCalledTimes(1)
  })

  it('a status without a body has none; 101 and 103 are refused as a Response would', async () => {
    const r = response(204, null)
    expect(r.body).toBeNull()
    expect(await r.text()).toBe('')
    expect(r.ok).toBe(true)
    expect(() => new Response(null, { status: 101 })).toThrow(RangeError)
    expect(response(404, null).ok).toBe(false)
    expect(() => response(200, null).clone()).toThrow(/cannot be cloned/)
  })
})

describe('the guard’s response over a real exchange', () => {
  let server: FakeOllama
  let ctx: TempContext
  beforeAll(async () => {
    server = await startFakeOllama({ host: '127.0.0.1' })
  })
  afterAll(async () => server.close())
  beforeEach(() => {
    ctx = tempContext()
  })
  afterEach(() => ctx.dispose())

  const guard = () => new EgressGuard(ctx.db, { actor: 'tester', network: scriptedNetwork({}) })
  const outcomes = () =>
    (
      ctx.db.prepare("SELECT * FROM audit_log WHERE outcome <> 'intent' ORDER BY seq").all() as AuditRow[]
    ).map((r) => r.outcome)

  it('a body read whole makes no WHATWG stream, and resolves only once the outcome row is committed', async () => {
    const made = vi.fn()
    const Real = globalThis.ReadableStream
    vi.stubGlobal(
      'ReadableStream',
      class extends Real<Uint8Array> {
        constructor(...args: ConstructorParameters<typeof ReadableStream<Uint8Array>>) {
          super(...args)
          made()
        }
      },
    )
    try {
      const res = await guard().request({ url: `${server.url}/api/tags`, purpose: { kind: 'model_listing' } })
      const body = (await res.json()) as { models: unknown[] }
      expect(body.models.length).toBeGreaterThan(0)
      expect(outcomes()).toEqual(['ok'])
      expect(made).not.toHaveBeenCalled()
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('as a stream the body streams, and a reader that stops early leaves an outcome row', async () => {
    const res = await guard().request({ url: `${server.url}/api/tags`, purpose: { kind: 'model_listing' } })
    const reader = res.body!.getReader()
    const first = await reader.read()
    expect(first.done).toBe(false)
    await reader.cancel()
    expect(outcomes()).toEqual(['ok'])
    const detail = ctx.db.prepare("SELECT detail FROM audit_log WHERE outcome = 'ok'").pluck().get() as string
    expect(detail).toMatch(/HTTP 200 .*(reader stopped before the end of the body|in \d+ ms)/)
  })
})
