import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { createServer as createTlsServer } from 'node:tls'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startAnchoring } from '../../../src/main/audit/anchoring'
import { writeAnchor } from '../../../src/main/audit/anchors'
import { appendAudit } from '../../../src/main/audit/log'
import {
  deliverPending,
  deliveryDue,
  disableForwarding,
  forwardStatus,
  setForwarding,
} from '../../../src/main/audit/forward'
import { formatSyslog, frameOctetCounted, parseOctetCounted } from '../../../src/main/audit/syslog'
import { createAppContext } from '../../../src/main/app/context'
import { overrideEgressNetworkForTests } from '../../../src/main/egress'
import { approveDestination } from '../../../src/main/egress/policy'
import { verifySignedFile } from '../../../src/main/signing/files'
import { trustedFingerprints } from '../../../src/main/signing/installation'
import { tempContext, type TempContext } from '../../support/context'
import { scriptedNetwork } from '../egress/helpers'

/** A log collector on loopback: records every connection and the syslog messages it received. */
interface Collector {
  port: number
  connections: number
  messages: string[]
  close(): Promise<void>
}

function listen(
  server: Server,
  host: string,
  state: { connections: number; messages: string[] },
): Promise<Collector> {
  return new Promise((resolve) => {
    server.listen(0, host, () => {
      resolve(
        Object.assign(state, {
          port: (server.address() as AddressInfo).port,
          close: () => new Promise<void>((r) => server.close(() => r())),
        }),
      )
    })
  })
}

function collect(state: { connections: number; messages: string[] }) {
  return (socket: Socket) => {
    state.connections++
    let buf = Buffer.alloc(0)
    socket.on('data', (d: Buffer) => {
      const r = parseOctetCounted(Buffer.concat([buf, d]))
      state.messages.push(...r.messages)
      buf = Buffer.from(r.rest)
    })
    socket.on('end', () => socket.end())
    socket.on('error', () => {})
  }
}

function tcpCollector(host = '127.0.0.1'): Promise<Collector> {
  const state = { connections: 0, messages: [] as string[] }
  return listen(createServer(collect(state)), host, state)
}

let ctx: TempContext
let restore: () => void
beforeEach(() => {
  restore = overrideEgressNetworkForTests(scriptedNetwork({ 'siem.hospital.test': ['127.0.0.2'] }))
  ctx = tempContext()
  appendAudit(ctx.db, { kind: 'policy', actor: 'tester', outcome: 'test', detail: 'first row' })
})
afterEach(() => {
  ctx.dispose()
  restore()
})

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
const msgOf = (m: string) => m.slice(m.indexOf('\uFEFF') + 1)

describe('RFC 5424 syslog', () => {
  it('formats the header, escapes structured data and frames by octet count', () => {
    const m = formatSyslog(
      {
        severity: 5,
        msgId: 'anchor',
        timestamp: '2026-12-04T10:00:00.000Z',
        params: { v: 'a"b]c\\d' },
        msg: 'é',
      },
      { hostname: 'ward pc\x01', procId: '42' },
    )
    expect(m).toBe(
      '<109>1 2026-12-04T10:00:00.000Z wardpc wardeval 42 anchor [wardeval@32473 v="a\\"b\\]c\\\\d"] \uFEFFé',
    )
    const framed = frameOctetCounted(m)
    expect(framed.toString('utf8').startsWith(`${Buffer.byteLength(m)} <109>`)).toBe(true)
    expect(parseOctetCounted(Buffer.concat([framed, framed]))).toMatchObject({ messages: [m, m] })
  })
})

describe('forwarding anchors to a log collector', () => {
  it('a loopback collector receives signed anchors that verify on their own; the delivery is audited', async () => {
    const siem = await tcpCollector()
    try {
      setForwarding(ctx, { host: '127.0.0.1', port: siem.port, tls: false, allRows: false })
      const a = writeAnchor(ctx, { reason: 'manual' })
      const status = await deliverPending(ctx)
      expect(status).toMatchObject({
        pendingAnchors: 0,
        lastError: null,
        lastDelivered: { anchorSeq: a.seq, anchorAt: a.at },
      })
      expect(siem.messages).toHaveLength(1)
      const m = siem.messages[0]!
      expect(m).toMatch(
        new RegExp(
          `^<109>1 ${escapeRe(a.at)} \\S+ wardeval \\d+ anchor \\[wardeval@32473 seq="${a.seq}" head="${a.headHash}" fp="${escapeRe(a.keyFingerprint)}"`,
        ),
      )
      // what the collector kept verifies as an anchor signed by this installation
      const copy = join(ctx.dir, 'from-siem.json')
      writeFileSync(copy, msgOf(m))
      const v = verifySignedFile(copy, trustedFingerprints(ctx.dataDir))
      expect(v).toMatchObject({ ok: true, content: { seq: a.seq, headHash: a.headHash } })
      const rows = ctx.db
        .prepare(
          "SELECT outcome, json_extract(purpose_json, '$.kind') AS kind, bytes_sent FROM audit_log WHERE kind = 'request'",
        )
        .all()
      expect(rows).toEqual([
        { outcome: 'intent', kind: 'audit_forward', bytes_sent: expect.any(Number) },
        {
          outcome: 'ok',
          kind: 'audit_forward',
          bytes_sent: Buffer.byteLength(m) + String(Buffer.byteLength(m)).length + 1,
        },
      ])
      // nothing new: nothing sent
      await deliverPending(ctx)
      expect(siem.connections).toBe(1)
    } finally {
      await siem.close()
    }
  })

  it('an unapproved collector (127.0.0.2 plays a remote host) receives no connection; the refusal is audited', async () => {
    const remote = await tcpCollector('127.0.0.2')
    try {
      expect(() =>
        setForwarding(ctx, { host: 'siem.hospital.test', port: remote.port, tls: false, allRows: false }),
      ).toThrow(/not an approved destination\. Approve it first: egress approve siem\.hospital\.test --port/)
      // 127.0.0.2 is loopback to the operating system, so it may be configured; the guard, which here
      // counts only 127.0.0.1 as this machine, still refuses it before connecting.
      setForwarding(ctx, { host: '127.0.0.2', port: remote.port, tls: false, allRows: true })
      writeAnchor(ctx, { reason: 'manual' })
      const status = await deliverPending(ctx)
      expect(remote.connections).toBe(0)
      expect(status.lastError).toMatch(/Refused to connect to 127\.0\.0\.2:\d+/)
      expect(status.pendingAnchors).toBe(1)
      expect(status.nextAttemptAt).not.toBeNull()
      const refusal = ctx.db.prepare("SELECT * FROM audit_log WHERE kind = 'refusal'").get() as {
        detail: string
        purpose_json: string
      }
      expect(refusal.detail).toMatch(
        /TCP stream: .* neither loopback nor an approved destination; \d+ body bytes withheld/,
      )
      expect(JSON.parse(refusal.purpose_json)).toMatchObject({ kind: 'audit_forward', anchors: 1 })
    } finally {
      await remote.close()
    }
  })

  it('an approved name delivers; every row goes too, and the delivery rows follow with the next one', async () => {
    const siem = await tcpCollector('127.0.0.2')
    try {
      approveDestination(ctx.db, {
        host: 'siem.hospital.test',
        port: siem.port,
        reason: 'SIEM',
        approvedBy: 'tester',
        // A name approval pins what the name resolved to (the test's resolver: 127.0.0.2).
        addresses: ['127.0.0.2'],
      })
      setForwarding(ctx, { host: 'siem.hospital.test', port: siem.port, tls: false, allRows: true })
      const a = writeAnchor(ctx, { reason: 'manual' })
      await deliverPending(ctx)
      const ids = siem.messages.map((m) => m.split(' ')[5])
      expect(ids).toEqual([...Array(a.seq).fill('audit'), 'anchor'])
      const rows = siem.messages
        .slice(0, -1)
        .map((m) => JSON.parse(msgOf(m)) as { seq: number; hash: string })
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: a.seq }, (_, i) => i + 1))
      expect(forwardStatus(ctx).pendingRows).toBe(2) // this delivery's intent and outcome rows
      await deliverPending(ctx)
      expect(siem.connections).toBe(2)
      expect(siem.messages.slice(-2).map((m) => (JSON.parse(msgOf(m)) as { seq: number }).seq)).toEqual([
        a.seq + 1,
        a.seq + 2,
      ])
    } finally {
      await siem.close()
    }
  })

  it('a failed delivery stays queued across restarts and is delivered later, without blocking anything', async () => {
    const siem = await tcpCollector()
    const port = siem.port
    await siem.close()
    setForwarding(ctx, { host: '127.0.0.1', port, tls: false, allRows: false })
    writeAnchor(ctx, { reason: 'run', runId: 1 })
    writeAnchor(ctx, { reason: 'scoring' })
    const failed = await deliverPending(ctx)
    expect(failed).toMatchObject({ pendingAnchors: 2, lastDelivered: null })
    expect(failed.lastError).toMatch(/ECONNREFUSED/)
    // the app's timer retries once the backoff has passed, not before
    expect(deliveryDue(ctx)).toBe(false)
    expect(deliveryDue(ctx, Date.parse(failed.nextAttemptAt!))).toBe(true)
    ctx.close()
    // a new process on the same files
    const reopened = createAppContext({ dbPath: ctx.dbPath, env: {} })
    Object.assign(ctx, { db: reopened.db, close: reopened.close })
    expect(forwardStatus(ctx).pendingAnchors).toBe(2)
    const again = await new Promise<Collector>((resolve) => {
      const state = { connections: 0, messages: [] as string[] }
      const server = createServer(collect(state))
      server.listen(port, '127.0.0.1', () =>
        resolve(
          Object.assign(state, { port, close: () => new Promise<void>((r) => server.close(() => r())) }),
        ),
      )
    })
    try {
      const ok = await deliverPending(ctx)
      expect(ok).toMatchObject({ pendingAnchors: 0, lastError: null, nextAttemptAt: null })
      expect(again.messages.map((m) => m.split(' ')[5])).toEqual(['anchor', 'anchor'])
      expect(disableForwarding(ctx).config).toBeNull()
    } finally {
      await again.close()
    }
  })

  it('anchoring hooks: an anchor written is forwarded in the background, and settle waits for it', async () => {
    const siem = await tcpCollector()
    const anchoring = startAnchoring(ctx)
    try {
      setForwarding(ctx, { host: '127.0.0.1', port: siem.port, tls: false, allRows: false })
      ctx.events.emit('job:progress', {
        jobId: 'j',
        kind: 'score',
        label: 'Scoring run 1',
        done: 1,
        total: 1,
        unit: 'items',
        state: 'done',
        message: null,
      })
      await anchoring.settle()
      expect(siem.messages).toHaveLength(1)
      expect(siem.messages[0]).toContain('reason="scoring"')
    } finally {
      anchoring.stop()
      await siem.close()
    }
  })

  it('over TLS, with the collector certificate checked against the CA given', async () => {
    const key = join(ctx.dir, 'siem.key')
    const cert = join(ctx.dir, 'siem.pem')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    )
    const { readFileSync } = await import('node:fs')
    const state = { connections: 0, messages: [] as string[] }
    const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, collect(state))
    const siem = await listen(server as unknown as Server, '127.0.0.1', state)
    try {
      setForwarding(ctx, { host: '127.0.0.1', port: siem.port, tls: true, allRows: false })
      writeAnchor(ctx, { reason: 'manual' })
      // without the hospital CA the certificate is not trusted: nothing is delivered
      const untrusted = await deliverPending(ctx)
      expect(untrusted.lastError).toMatch(/self.signed|certificate/i)
      expect(state.messages).toHaveLength(0)
      setForwarding(ctx, { host: '127.0.0.1', port: siem.port, tls: true, allRows: false, caFile: cert })
      const ok = await deliverPending(ctx)
      expect(ok).toMatchObject({ pendingAnchors: 0, lastError: null })
      expect(state.messages).toHaveLength(1)
    } finally {
      await siem.close()
    }
  })
})
