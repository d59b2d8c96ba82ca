import { createHash } from 'node:crypto'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AuditRow } from '../../../src/main/audit/chain'
import { verifyAuditLog } from '../../../src/main/audit/verify'
import { EgressConnectionError, EgressRefusedError } from '../../../src/main/egress/errors'
import { EgressGuard } from '../../../src/main/egress/guard'
import { approveDestination, revokeApproval } from '../../../src/main/egress/policy'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { scriptedNetwork } from './helpers'

let inside: FakeOllama // 127.0.0.1: loopback for the test policy
let outside: FakeOllama // 127.0.0.2: NOT loopback for the test policy — plays a remote host
let ctx: TempContext

beforeAll(async () => {
  inside = await startFakeOllama({ host: '127.0.0.1' })
  outside = await startFakeOllama({ host: '127.0.0.2' })
})
afterAll(async () => {
  await inside.close()
  await outside.close()
})
beforeEach(() => {
  ctx = tempContext()
  inside.reset()
  outside.reset()
  inside.clearFaults()
})
afterEach(() => ctx.dispose())

const rows = () => ctx.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[]
/** Write-ahead intent rows (committed before the request is sent). */
const intents = () => rows().filter((r) => r.kind === 'request' && r.outcome === 'intent')
/** Every other row: outcome rows of requests, refusals, approvals, policy changes. */
const outcomes = () => rows().filter((r) => !(r.kind === 'request' && r.outcome === 'intent'))
/** The intent seq an outcome row completes. */
const completes = (r: AuditRow) => (JSON.parse(r.purpose_json) as { completesSeq?: number }).completesSeq
const sha = (s: string) => createHash('sha256').update(s).digest('hex')
const listing = { kind: 'model_listing' } as const

function guard(names: Parameters<typeof scriptedNetwork>[0] = {}) {
  const network = scriptedNetwork(names)
  return { guard: new EgressGuard(ctx.db, { actor: 'tester', network }), network }
}

describe('egress guard: loopback', () => {
  it('sends to loopback and audits the request: destination, address, purpose, bytes, body hash — never the body', async () => {
    const { guard: g } = guard()
    const body = JSON.stringify({
      model: 'llama3.2:3b',
      messages: [{ role: 'user', content: 'Patient John Doe, MRN 12345' }],
      stream: false,
    })
    const purpose = { kind: 'run', runId: 7, benchmark: 'medcalc_bench', instanceId: 42 } as const
    const res = await g.request({
      url: `${inside.url}/api/chat`,
      method: 'POST',
      body,
      purpose,
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(200)
    const reply = (await res.json()) as { message: { content: string } }
    expect(reply.message.content).toBe('Echo: Patient John Doe, MRN 12345')
    await new Promise((r) => setTimeout(r, 50))
    const [intent, row] = rows()
    const where = {
      kind: 'request',
      actor: 'tester',
      host: '127.0.0.1',
      port: inside.port,
      address: '127.0.0.1',
      body_sha256: sha(body),
    }
    expect(intent).toMatchObject({
      ...where,
      seq: 1,
      outcome: 'intent',
      bytes_sent: Buffer.byteLength(body),
      bytes_received: 0,
    })
    expect(JSON.parse(intent!.purpose_json)).toEqual(purpose)
    expect(row).toMatchObject({ ...where, seq: 2, outcome: 'ok' })
    expect(JSON.parse(row!.purpose_json)).toEqual({ ...purpose, completesSeq: 1 })
    expect(row!.bytes_sent).toBeGreaterThan(Buffer.byteLength(body))
    expect(row!.bytes_received).toBeGreaterThan(Buffer.byteLength(JSON.stringify(reply)))
    expect(JSON.stringify(rows())).not.toContain('John Doe')
    expect(inside.requests[0]!.body).toEqual(JSON.parse(body))
  })
})

describe('egress guard: refusals', () => {
  it('a host that is not approved receives zero connections, and the refusal is audited', async () => {
    const { guard: g } = guard()
    const body = '{"model":"m","messages":[]}'
    await expect(
      g.request({ url: `${outside.url}/api/chat`, method: 'POST', body, purpose: listing }),
    ).rejects.toBeInstanceOf(EgressRefusedError)
    expect(outside.connections).toBe(0)
    expect(outside.requests).toHaveLength(0)
    const [row] = rows()
    expect(row).toMatchObject({
      kind: 'refusal',
      host: '127.0.0.2',
      port: outside.port,
      address: '127.0.0.2',
      outcome: 'refused',
      bytes_sent: 0,
      bytes_received: 0,
      body_sha256: sha(body),
    })
    expect(row!.detail).toContain('neither loopback nor an approved destination')
  })

  it('a name that resolves to a non-loopback address is refused before connecting', async () => {
    const { guard: g } = guard({ 'models.evil.test': ['127.0.0.2'] })
    const err = await g
      .request({ url: `http://models.evil.test:${outside.port}/api/tags`, purpose: listing })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EgressRefusedError)
    expect((err as Error).message).toContain('resolves to 127.0.0.2')
    expect(outside.connections).toBe(0)
    expect(rows()[0]).toMatchObject({ kind: 'refusal', host: 'models.evil.test', address: '127.0.0.2' })
  })

  it('a name with one loopback and one outside address is refused (every address must pass)', async () => {
    const { guard: g } = guard({ 'mixed.test': ['127.0.0.1', '127.0.0.2'] })
    await expect(
      g.request({ url: `http://mixed.test:${inside.port}/api/tags`, purpose: listing }),
    ).rejects.toBeInstanceOf(EgressRefusedError)
    expect(inside.connections).toBe(0)
    expect(outside.connections).toBe(0)
    expect(rows()[0]!.address).toBe('127.0.0.1 127.0.0.2')
  })

  it('approval opens exactly the approved host and port; revocation closes it again', async () => {
    const { guard: g } = guard()
    const a = approveDestination(ctx.db, {
      host: '127.0.0.2',
      port: outside.port,
      reason: 'lab server for the test',
      approvedBy: 'officer',
    })
    const res = await g.request({ url: `${outside.url}/api/version`, purpose: { kind: 'status_check' } })
    expect(await res.json()).toEqual({ version: '0.12.6' })
    expect(outside.connections).toBe(1)

    // another port on the same host is not covered
    const other = createServer()
    await new Promise<void>((r) => other.listen(0, '127.0.0.2', r))
    let otherConnections = 0
    other.on('connection', (s) => (otherConnections++, s.destroy()))
    const otherPort = (other.address() as AddressInfo).port
    await expect(
      g.request({ url: `http://127.0.0.2:${otherPort}/`, purpose: listing }),
    ).rejects.toBeInstanceOf(EgressRefusedError)
    expect(otherConnections).toBe(0)
    await new Promise((r) => other.close(r))

    revokeApproval(ctx.db, a.id, 'officer')
    await expect(g.request({ url: `${outside.url}/api/version`, purpose: listing })).rejects.toBeInstanceOf(
      EgressRefusedError,
    )
    expect(outside.connections).toBe(1)
    expect(rows().map((r) => [r.kind, r.outcome])).toEqual([
      ['approval', 'approved'],
      ['request', 'intent'],
      ['request', 'ok'],
      ['refusal', 'refused'],
      ['policy', 'revoked'],
      ['refusal', 'refused'],
    ])
  })

  it('an approved name may resolve outside; the connection goes to the address that was checked', async () => {
    const { guard: g } = guard({ 'llm.hospital.test': ['127.0.0.2'] })
    approveDestination(ctx.db, {
      host: 'llm.hospital.test',
      port: null,
      reason: 'hospital vLLM',
      approvedBy: 'officer',
      addresses: ['127.0.0.2'],
    })
    const res = await g.request({
      url: `http://llm.hospital.test:${outside.port}/v1/models`,
      purpose: listing,
    })
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(outside.requests[0]!.headers.host).toBe(`llm.hospital.test:${outside.port}`)
    expect(intents()).toHaveLength(1)
    expect(intents()[0]).toMatchObject({ host: 'llm.hospital.test', address: '127.0.0.2' })
    expect(rows().at(-1)).toMatchObject({
      kind: 'request',
      host: 'llm.hospital.test',
      address: '127.0.0.2',
      outcome: 'ok',
    })
  })

  it('DNS rebinding: the name is resolved once and the checked address is the one connected to', async () => {
    let calls = 0
    // First answer loopback (allowed), every later answer the outside host.
    const { guard: g, network } = guard({
      'rebind.test': () => (calls++ === 0 ? ['127.0.0.1'] : ['127.0.0.2']),
    })
    const res = await g.request({ url: `http://rebind.test:${inside.port}/api/version`, purpose: listing })
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(network.lookups).toEqual(['rebind.test'])
    expect(inside.requests).toHaveLength(1)
    expect(outside.connections).toBe(0)
  })

  it('refuses schemes other than http and https', async () => {
    const { guard: g } = guard()
    await expect(g.request({ url: 'file:///etc/passwd', purpose: listing })).rejects.toThrow(
      /Only http and https/,
    )
  })
})

describe('egress guard: failures are audited too', () => {
  it('connection refused', async () => {
    const { guard: g } = guard()
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    const err = await g
      .request({ url: `http://127.0.0.1:${port}/api/version`, purpose: listing })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EgressConnectionError)
    expect((err as EgressConnectionError).code).toBe('ECONNREFUSED')
    await new Promise((r) => setTimeout(r, 20))
    expect(rows().map((r) => r.outcome)).toEqual(['intent', 'network_error'])
    expect(rows()[1]).toMatchObject({ kind: 'request', outcome: 'network_error', address: '127.0.0.1' })
    expect(completes(rows()[1]!)).toBe(1)
  })

  it('a connection dropped before the answer', async () => {
    const { guard: g } = guard()
    inside.inject({ match: '/api/version', fault: { type: 'drop' } })
    await expect(g.request({ url: `${inside.url}/api/version`, purpose: listing })).rejects.toBeInstanceOf(
      EgressConnectionError,
    )
    await new Promise((r) => setTimeout(r, 20))
    expect(outcomes()[0]).toMatchObject({ outcome: 'network_error' })
    expect(outcomes()[0]!.bytes_sent).toBeGreaterThan(0)
  })

  it('a connection dropped in the middle of the body errors the body stream', async () => {
    const { guard: g } = guard()
    inside.inject({ match: '/api/tags', fault: { type: 'drop-mid-body' } })
    const res = await g.request({ url: `${inside.url}/api/tags`, purpose: listing })
    await expect(res.text()).rejects.toBeInstanceOf(EgressConnectionError)
    await new Promise((r) => setTimeout(r, 20))
    expect(outcomes()[0]).toMatchObject({ outcome: 'network_error' })
    expect(outcomes()[0]!.detail).toContain('HTTP 200')
  })

  it('time limit and cancellation', async () => {
    const { guard: g } = guard()
    inside.inject({ match: '/api/version', fault: { type: 'hang' }, times: 1 })
    await expect(
      g.request({ url: `${inside.url}/api/version`, purpose: listing, timeoutMs: 100 }),
    ).rejects.toMatchObject({ name: 'TimeoutError' })
    const ac = new AbortController()
    inside.inject({ match: '/api/version', fault: { type: 'hang' }, times: 1 })
    const p = g.request({ url: `${inside.url}/api/version`, purpose: listing, signal: ac.signal })
    setTimeout(() => ac.abort(), 50)
    await expect(p).rejects.toMatchObject({ name: 'AbortError' })
    await new Promise((r) => setTimeout(r, 50))
    expect(rows().map((r) => r.outcome)).toEqual(['intent', 'timeout', 'intent', 'aborted'])
    expect(outcomes().map(completes)).toEqual([1, 3])
    expect(verifyAuditLog(ctx.db).unfinished).toEqual({ count: 0, seqs: [] })
  })

  it('HTTP errors are requests with outcome http_error', async () => {
    const { guard: g } = guard()
    inside.inject({ match: '/api/version', fault: { type: 'status', status: 503 }, times: 1 })
    const res = await g.request({ url: `${inside.url}/api/version`, purpose: listing })
    expect(res.status).toBe(503)
    await res.text()
    await new Promise((r) => setTimeout(r, 20))
    expect(outcomes()[0]).toMatchObject({ kind: 'request', outcome: 'http_error' })
    expect(outcomes()[0]!.detail).toContain('HTTP 503')
    expect(completes(outcomes()[0]!)).toBe(intents()[0]!.seq)
  })
})

describe('egress guard: kept-alive connections', () => {
  it('reuses a connection to the checked address and audits each request with its own bytes', async () => {
    const { guard: g } = guard()
    for (let i = 0; i < 3; i++) {
      const res = await g.request({ url: `${inside.url}/api/version`, purpose: listing })
      await res.arrayBuffer()
    }
    expect(inside.requests).toHaveLength(3)
    expect(inside.connections).toBe(1)
    const [a, b, c] = outcomes()
    expect(a!.bytes_sent).toBeGreaterThan(0)
    expect(a!.bytes_received).toBeGreaterThan(0)
    for (const r of [b!, c!]) {
      expect(r.bytes_sent).toBe(a!.bytes_sent)
      expect(r.bytes_received).toBe(a!.bytes_received)
    }
  })

  it('never reuses a connection for another checked address, and a revoked approval refuses at once', async () => {
    // Same port on two addresses: a pool keyed by host and port alone would reuse the first socket.
    const twin = await startFakeOllama({ host: '127.0.0.2', port: inside.port })
    try {
      let calls = 0
      const { guard: g } = guard({ 'switch.test': () => (calls++ === 0 ? ['127.0.0.1'] : ['127.0.0.2']) })
      const approval = approveDestination(ctx.db, {
        host: 'switch.test',
        port: null,
        reason: 'test name moving between hosts',
        approvedBy: 'officer',
        addresses: ['127.0.0.1', '127.0.0.2'],
      })
      const url = `http://switch.test:${inside.port}/api/version`
      await (await g.request({ url, purpose: listing })).arrayBuffer()
      await (await g.request({ url, purpose: listing })).arrayBuffer()
      expect(inside.requests).toHaveLength(1)
      expect(twin.requests).toHaveLength(1)
      expect(rows().map((r) => r.address)).toEqual([
        '127.0.0.1 127.0.0.2', // the approval, with the addresses it pins
        '127.0.0.1',
        '127.0.0.1',
        '127.0.0.2',
        '127.0.0.2',
      ])

      revokeApproval(ctx.db, approval.id, 'officer')
      await expect(g.request({ url, purpose: listing })).rejects.toBeInstanceOf(EgressRefusedError)
      expect(twin.requests).toHaveLength(1)
      expect(twin.connections).toBe(1)
    } finally {
      await twin.close()
    }
  })
})

describe('egress guard: many requests in flight', () => {
  it('audits every one of 40 concurrent requests and keeps the chain intact', async () => {
    const { guard: g } = guard()
    inside.inject({ match: '/api/chat', fault: { type: 'delay', ms: 30 } })
    const results = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const res = await g.request({
          url: `${inside.url}/api/chat`,
          method: 'POST',
          body: JSON.stringify({
            model: 'llama3.2:3b',
            messages: [{ role: 'user', content: `q${i}` }],
            stream: false,
          }),
          purpose: { kind: 'run', runId: 1, benchmark: 'b', instanceId: i },
        })
        return ((await res.json()) as { message: { content: string } }).message.content
      }),
    )
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => `Echo: q${i}`))
    await new Promise((r) => setTimeout(r, 100))
    expect(rows()).toHaveLength(80)
    const all = outcomes()
    expect(all).toHaveLength(40)
    expect(new Set(all.map((r) => JSON.parse(r.purpose_json).instanceId)).size).toBe(40)
    // Each outcome completes the intent of the same request (same purpose and body hash), once.
    const byIntent = new Map(intents().map((r) => [r.seq, r]))
    for (const r of all) {
      const intent = byIntent.get(completes(r)!)!
      expect(intent.seq).toBeLessThan(r.seq)
      expect(JSON.parse(intent.purpose_json).instanceId).toBe(JSON.parse(r.purpose_json).instanceId)
      expect(intent.body_sha256).toBe(r.body_sha256)
      byIntent.delete(intent.seq)
    }
    expect(byIntent.size).toBe(0)
    expect(verifyAuditLog(ctx.db)).toMatchObject({ ok: true, unfinished: { count: 0 }, inFlight: 0 })
  })
})
