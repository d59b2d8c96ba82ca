import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import diagnostics from 'node:diagnostics_channel'
import { createServer, type AddressInfo, type Socket as NetSocket, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AuditRow } from '../../../src/main/audit/chain'
import { exportAuditCsv } from '../../../src/main/audit/export'
import { appendAudit } from '../../../src/main/audit/log'
import { auditSummary, listAudit, listUnfinished } from '../../../src/main/audit/query'
import { verifyAuditLog } from '../../../src/main/audit/verify'
import { openDatabase, type Db } from '../../../src/main/db/open'
import { EgressGuard } from '../../../src/main/egress/guard'
import { runCliCaptured } from '../../support/cli'
import { tempContext, type TempContext } from '../../support/context'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { scriptedNetwork } from './helpers'

let fake: FakeOllama
let ctx: TempContext
let other: Db | null = null

beforeAll(async () => {
  fake = await startFakeOllama({ host: '127.0.0.1' })
})
afterAll(async () => {
  await fake.close()
})
beforeEach(() => {
  ctx = tempContext()
  fake.reset()
  fake.clearFaults()
})
afterEach(() => {
  other?.close()
  other = null
  ctx.dispose()
})

const rows = (db: Db = ctx.db) => db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[]
const sha = (s: string) => createHash('sha256').update(s).digest('hex')
const completes = (r: AuditRow) => (JSON.parse(r.purpose_json) as { completesSeq?: number }).completesSeq
const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms))
const purpose = { kind: 'run', runId: 7, benchmark: 'medqa', instanceId: 1 } as const
const chatBody = JSON.stringify({
  model: 'llama3.2:3b',
  messages: [{ role: 'user', content: 'Patient Jane Roe, MRN 777' }],
  stream: false,
})

function guard() {
  return new EgressGuard(ctx.db, { actor: 'tester', network: scriptedNetwork() })
}

/** A second connection to the same file: it sees only what has been committed. */
function secondConnection(): Db {
  other = openDatabase(ctx.dbPath)
  return other
}

describe('write-ahead audit: the intent is committed before the first byte leaves', () => {
  it('is visible to another connection when the server accepts the connection, before any byte arrives', async () => {
    const reader = secondConnection()
    const seen: { atConnect: AuditRow[]; atFirstByte: AuditRow[] } = { atConnect: [], atFirstByte: [] }
    const server = createServer((socket: Socket) => {
      seen.atConnect = rows(reader)
      socket.once('data', () => {
        seen.atFirstByte = rows(reader)
        socket.end(
          'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok',
        )
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as AddressInfo).port
    try {
      const res = await guard().request({
        url: `http://127.0.0.1:${port}/api/chat`,
        method: 'POST',
        body: chatBody,
        purpose,
      })
      expect(await res.text()).toBe('ok')
    } finally {
      await new Promise((r) => server.close(r))
    }
    for (const at of [seen.atConnect, seen.atFirstByte]) {
      expect(at).toHaveLength(1)
      expect(at[0]).toMatchObject({
        seq: 1,
        kind: 'request',
        outcome: 'intent',
        actor: 'tester',
        host: '127.0.0.1',
        port,
        address: '127.0.0.1',
        bytes_sent: Buffer.byteLength(chatBody),
        bytes_received: 0,
        body_sha256: sha(chatBody),
      })
      expect(JSON.parse(at[0]!.purpose_json)).toEqual(purpose)
    }
    await settle()
    const all = rows()
    expect(all.map((r) => r.outcome)).toEqual(['intent', 'ok'])
    expect(completes(all[1]!)).toBe(1)
    expect(JSON.stringify(all)).not.toContain('Jane Roe')
  })

  it('every write to the socket, kept-alive ones included, happens after the intent has committed', async () => {
    const reader = secondConnection()
    const committedIntents = () =>
      reader.prepare("SELECT COUNT(*) FROM audit_log WHERE outcome = 'intent'").pluck().get() as number
    // Watch the bytes at the moment they are handed to a client socket of this process — even
    // before it has connected — and count the intents committed at that moment.
    const seen: { request: number; intents: number }[] = []
    let current = 0
    const watch = (message: unknown) => {
      const socket = (message as { socket: NetSocket }).socket as unknown as Record<
        '_write' | '_writev',
        (...a: unknown[]) => unknown
      >
      for (const k of ['_write', '_writev'] as const) {
        const original = socket[k]
        socket[k] = function (this: unknown, ...args: unknown[]) {
          seen.push({ request: current, intents: committedIntents() })
          return original.apply(this, args)
        }
      }
    }
    diagnostics.subscribe('net.client.socket', watch)
    try {
      const g = guard()
      for (current = 1; current <= 3; current++) {
        const res = await g.request({ url: `${fake.url}/api/chat`, method: 'POST', body: chatBody, purpose })
        await res.json()
      }
    } finally {
      diagnostics.unsubscribe('net.client.socket', watch)
    }
    expect(fake.connections).toBe(1) // requests 2 and 3 went out on the kept-alive socket
    expect(new Set(seen.map((w) => w.request))).toEqual(new Set([1, 2, 3]))
    for (const w of seen)
      expect(w.intents, `a write of request ${w.request}`).toBeGreaterThanOrEqual(w.request)
  })

  it('the fake model server finds the intent (and no outcome yet) in the database when the request arrives', async () => {
    const reader = secondConnection()
    const atArrival: AuditRow[][] = []
    fake.inject({
      match: () => {
        atArrival.push(rows(reader))
        return false
      },
      fault: { type: 'hang' },
    })
    const res = await guard().request({
      url: `${fake.url}/api/chat`,
      method: 'POST',
      body: chatBody,
      purpose,
    })
    expect(res.status).toBe(200)
    await res.json()
    expect(atArrival).toHaveLength(1)
    expect(atArrival[0]!.map((r) => [r.seq, r.outcome])).toEqual([[1, 'intent']])
    await settle()
    expect(rows().map((r) => [r.seq, r.outcome, completes(r) ?? null])).toEqual([
      [1, 'intent', null],
      [2, 'ok', 1],
    ])
  })

  it('while another connection holds the write lock, nothing is sent — and the event loop keeps running', async () => {
    const importer = secondConnection() // plays an import holding its transaction open
    importer.exec('BEGIN IMMEDIATE')
    let ticks = 0
    const ticker = setInterval(() => ticks++, 10)
    let settled = false
    const p = guard()
      .request({ url: `${fake.url}/api/chat`, method: 'POST', body: chatBody, purpose })
      .finally(() => (settled = true))
    try {
      await settle(300)
      expect(ticks).toBeGreaterThan(5) // not frozen in SQLite's busy wait
      expect(settled).toBe(false)
      expect(fake.connections).toBe(0)
      expect(fake.requests).toHaveLength(0)
    } finally {
      importer.exec('COMMIT')
      clearInterval(ticker)
    }
    const res = await p
    await res.json()
    await settle()
    expect(fake.requests).toHaveLength(1)
    expect(rows().map((r) => [r.seq, r.outcome, completes(r) ?? null])).toEqual([
      [1, 'intent', null],
      [2, 'ok', 1],
    ])
    expect(verifyAuditLog(ctx.db).ok).toBe(true)
  })

  it('if the intent cannot be committed first, nothing is sent', async () => {
    ctx.db.exec('BEGIN')
    try {
      await expect(
        guard().request({ url: `${fake.url}/api/version`, purpose: { kind: 'status_check' } }),
      ).rejects.toThrow(/nothing was sent/)
    } finally {
      ctx.db.exec('ROLLBACK')
    }
    expect(fake.connections).toBe(0)
    expect(rows()).toHaveLength(0)
  })
})

describe('write-ahead audit: unfinished requests', () => {
  it('a request in flight is in flight, not unfinished; once aborted its outcome completes it', async () => {
    fake.inject({ match: '/api/chat', fault: { type: 'hang' }, times: 1 })
    const ac = new AbortController()
    const p = guard().request({
      url: `${fake.url}/api/chat`,
      method: 'POST',
      body: chatBody,
      purpose,
      signal: ac.signal,
    })
    while (fake.requests.length === 0) await settle(5)
    expect(verifyAuditLog(ctx.db)).toMatchObject({
      ok: true,
      unfinished: { count: 0, seqs: [] },
      inFlight: 1,
    })
    expect(listAudit(ctx.db).entries[0]).toMatchObject({ seq: 1, intentState: 'in_flight' })
    ac.abort()
    await expect(p).rejects.toMatchObject({ name: 'AbortError' })
    await settle()
    expect(verifyAuditLog(ctx.db)).toMatchObject({ ok: true, unfinished: { count: 0 }, inFlight: 0 })
    const [outcome, intent] = listAudit(ctx.db).entries
    expect(outcome).toMatchObject({ seq: 2, outcome: 'aborted', completesSeq: 1, intentState: null })
    expect(intent).toMatchObject({ seq: 1, outcome: 'intent', intentState: 'completed', completedBySeq: 2 })
  })

  it('a process killed mid-request leaves an unfinished intent: verify, list, summary, export and CLI report it', async () => {
    appendAudit(ctx.db, { kind: 'policy', actor: 'main', outcome: 'start' })
    fake.inject({ match: '/api/chat', fault: { type: 'hang' } })
    const tsx = join(__dirname, '../../../node_modules/.bin/tsx')
    const child = spawn(tsx, [join(__dirname, 'inflight-worker.ts'), ctx.dbPath, `${fake.url}/api/chat`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)))
    const deadline = Date.now() + 30_000
    while (fake.requests.length === 0) {
      if (child.exitCode !== null) throw new Error(`worker exited early: ${stderr}`)
      if (Date.now() > deadline) throw new Error('the request never arrived')
      await settle(20)
    }
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')

    // The bytes reached the server, and the only trace is the committed intent.
    expect(fake.requests[0]!.body).toMatchObject({ model: 'llama3.2:3b' })
    const all = rows()
    expect(all.map((r) => [r.seq, r.kind, r.outcome])).toEqual([
      [1, 'policy', 'start'],
      [2, 'request', 'intent'],
    ])
    expect(all[1]).toMatchObject({
      actor: 'worker',
      host: '127.0.0.1',
      port: fake.port,
      address: '127.0.0.1',
    })

    const v = verifyAuditLog(ctx.db)
    expect(v).toMatchObject({
      ok: true,
      firstBad: null,
      rows: 2,
      unfinished: { count: 1, seqs: [2] },
      inFlight: 0,
    })
    expect(listAudit(ctx.db).entries[0]).toMatchObject({
      seq: 2,
      intentState: 'unfinished',
      completedBySeq: null,
    })
    expect(listUnfinished(ctx.db)).toMatchObject({
      total: 1,
      entries: [{ seq: 2, intentState: 'unfinished' }],
    })
    const local = auditSummary(ctx.db).destinations.find((d) => d.host === '127.0.0.1')!
    expect(local).toMatchObject({ requests: 1, unfinished: 1, failures: 1 })
    expect(local.bytesSent).toBe(all[1]!.bytes_sent)

    const file = join(ctx.dir, 'audit.csv')
    expect(exportAuditCsv(ctx.db, file).rows).toBe(2)
    const lines = readFileSync(file, 'utf8').split('\r\n')
    expect(lines[0]!.endsWith(',hash,completes_seq,intent_state')).toBe(true)
    expect(lines[2]!.startsWith('2,')).toBe(true)
    expect(lines[2]!.endsWith(`,${all[1]!.hash},,unfinished`)).toBe(true)

    const verify = await runCliCaptured(['--db', ctx.dbPath, '--json', 'audit', 'verify'])
    expect(verify.code, verify.stderr).toBe(0)
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, unfinished: { count: 1, seqs: [2] } })
    const human = await runCliCaptured(['--db', ctx.dbPath, 'audit', 'verify'])
    expect(human.stdout).toContain('Audit log intact')
    expect(human.stdout).toContain(
      '1 unfinished request(s) — the app stopped before the reply; intent row(s) 2',
    )
    const listed = await runCliCaptured(['--db', ctx.dbPath, '--json', 'audit', 'unfinished'])
    expect(listed.code, listed.stderr).toBe(0)
    expect(JSON.parse(listed.stdout)).toMatchObject({
      total: 1,
      entries: [{ seq: 2, intentState: 'unfinished' }],
    })
    const text = await runCliCaptured(['--db', ctx.dbPath, 'audit', 'unfinished'])
    expect(text.stdout).toContain('intent: UNFINISHED')

    // A later request completes only its own intent: the old one stays unfinished.
    fake.clearFaults()
    await (
      await guard().request({ url: `${fake.url}/api/version`, purpose: { kind: 'status_check' } })
    ).text()
    await settle()
    expect(
      rows()
        .slice(2)
        .map((r) => [r.seq, r.outcome, completes(r) ?? null]),
    ).toEqual([
      [3, 'intent', null],
      [4, 'ok', 3],
    ])
    expect(verifyAuditLog(ctx.db)).toMatchObject({ ok: true, unfinished: { count: 1, seqs: [2] } })
  }, 60_000)
})

describe('write-ahead audit: the app shutting down mid-request', () => {
  it('the database closed while a request waits: the caller is told, and the intent stays unfinished', async () => {
    fake.inject({ match: '/api/chat', fault: { type: 'hang' }, times: 1 })
    const ac = new AbortController()
    const p = guard().request({
      url: `${fake.url}/api/chat`,
      method: 'POST',
      body: chatBody,
      purpose,
      signal: ac.signal,
    })
    while (fake.requests.length === 0) await settle(5)
    ctx.db.close()
    ac.abort()
    await expect(p).rejects.toThrow(/intent row 1 stays unfinished/)
    const reopened = secondConnection()
    expect(rows(reopened).map((r) => [r.seq, r.outcome])).toEqual([[1, 'intent']])
    expect(verifyAuditLog(reopened)).toMatchObject({ ok: true, unfinished: { count: 1, seqs: [1] } })
  })
})

describe('write-ahead audit: tampering', () => {
  async function completedRequest() {
    const res = await guard().request({
      url: `${fake.url}/api/chat`,
      method: 'POST',
      body: chatBody,
      purpose,
    })
    await res.json()
    await settle()
    expect(rows().map((r) => r.outcome)).toEqual(['intent', 'ok'])
    ctx.db.exec('DROP TRIGGER audit_log_no_update')
  }

  it('an edited intent row is detected', async () => {
    await completedRequest()
    ctx.db.prepare('UPDATE audit_log SET bytes_sent = 1 WHERE seq = 1').run()
    expect(verifyAuditLog(ctx.db)).toMatchObject({ ok: false, firstBad: { seq: 1, problem: 'edited' } })
  })

  it('an intent rewritten (hash recomputed) to hide where it went is caught by the next link', async () => {
    await completedRequest()
    const { rowHash } = await import('../../../src/main/audit/chain')
    const { hash: _old, ...rest } = rows()[0]!
    const forged = { ...rest, host: 'innocent.local' }
    ctx.db.prepare('UPDATE audit_log SET host = ?, hash = ? WHERE seq = 1').run(forged.host, rowHash(forged))
    expect(verifyAuditLog(ctx.db)).toMatchObject({ ok: false, firstBad: { seq: 2, problem: 'broken_link' } })
  })

  it('an outcome row re-pointed at another intent is detected', async () => {
    await completedRequest()
    ctx.db
      .prepare(
        `UPDATE audit_log SET purpose_json = json_set(purpose_json, '$.completesSeq', 7) WHERE seq = 2`,
      )
      .run()
    expect(verifyAuditLog(ctx.db)).toMatchObject({ ok: false, firstBad: { seq: 2, problem: 'edited' } })
  })
})
