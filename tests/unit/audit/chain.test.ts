import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { canonicalRow, GENESIS_HASH, rowHash, type AuditRow } from '../../../src/main/audit/chain'
import { exportAuditCsv } from '../../../src/main/audit/export'
import { appendAudit, AUDIT_HEAD_KEY } from '../../../src/main/audit/log'
import { auditSummary, listAudit, parseTime } from '../../../src/main/audit/query'
import { verifyAuditLog } from '../../../src/main/audit/verify'
import { approveDestination } from '../../../src/main/egress/policy'
import { openDatabase } from '../../../src/main/db/open'
import { tempContext, type TempContext } from '../../support/context'

let ctx: TempContext
beforeEach(() => {
  ctx = tempContext()
})
afterEach(() => ctx.dispose())

function seed(n: number) {
  for (let i = 1; i <= n; i++) {
    appendAudit(ctx.db, {
      kind: i % 3 === 0 ? 'refusal' : 'request',
      actor: 'tester',
      endpointId: null,
      host: i % 3 === 0 ? 'llm.elsewhere.test' : '127.0.0.1',
      port: 11434,
      address: '127.0.0.1',
      purpose: { kind: 'run', runId: 1, benchmark: 'medqa', instanceId: i },
      bytesSent: 100 * i,
      bytesReceived: 10 * i,
      bodySha256: 'ab'.repeat(32),
      outcome: i % 3 === 0 ? 'refused' : 'ok',
      detail: `row ${i}`,
      ts: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    })
  }
}
const rows = () => ctx.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[]

describe('hash chain', () => {
  it('links each row to the one before and hashes a canonical serialization', () => {
    seed(3)
    const [a, b, c] = rows()
    expect(a!.prev_hash).toBe(GENESIS_HASH)
    expect(b!.prev_hash).toBe(a!.hash)
    expect(c!.prev_hash).toBe(b!.hash)
    const { hash, ...rest } = b!
    expect(rowHash(rest)).toBe(hash)
    expect(JSON.parse(canonicalRow(rest))).toEqual([
      2,
      b!.ts,
      'request',
      'tester',
      null,
      '127.0.0.1',
      11434,
      '127.0.0.1',
      b!.purpose_json,
      200,
      20,
      'ab'.repeat(32),
      'ok',
      'row 2',
      a!.hash,
    ])
    // purpose JSON is canonical: sorted keys
    expect(b!.purpose_json).toBe('{"benchmark":"medqa","instanceId":2,"kind":"run","runId":1}')
  })

  it('verifies an intact log and reports its head', () => {
    seed(5)
    const r = verifyAuditLog(ctx.db)
    expect(r).toMatchObject({ ok: true, rows: 5, headSeq: 5, firstBad: null })
    expect(r.headHash).toBe(rows()[4]!.hash)
    expect(verifyAuditLog(ctx.db).ok).toBe(true)
  })

  it('an empty log verifies', () => {
    expect(verifyAuditLog(ctx.db)).toMatchObject({ ok: true, rows: 0, headSeq: null })
  })
})

/** Someone with the database file can drop the append-only triggers first; the chain still tells. */
function dropGuards() {
  ctx.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;')
}

describe('audit verify detects tampering done directly in SQLite', () => {
  beforeEach(() => {
    seed(6)
    dropGuards()
  })

  it('an edited field (bytes sent lowered)', () => {
    ctx.db.prepare('UPDATE audit_log SET bytes_sent = 1 WHERE seq = 4').run()
    expect(verifyAuditLog(ctx.db).firstBad).toMatchObject({ seq: 4, problem: 'edited' })
  })

  it('an edited destination with its own hash recomputed (caught by the next link)', () => {
    const r = rows()[2]!
    const forged = { ...r, host: 'innocent.local' }
    const { hash: _h, ...rest } = forged
    ctx.db
      .prepare('UPDATE audit_log SET host = ?, hash = ? WHERE seq = 3')
      .run('innocent.local', rowHash(rest))
    expect(verifyAuditLog(ctx.db).firstBad).toMatchObject({ seq: 4, problem: 'broken_link' })
  })

  it('a deleted row in the middle', () => {
    ctx.db.prepare('DELETE FROM audit_log WHERE seq = 3').run()
    const r = verifyAuditLog(ctx.db)
    expect(r.ok).toBe(false)
    expect(r.firstBad).toMatchObject({ seq: 3, problem: 'broken_link' })
    expect(r.firstBad!.message).toContain('Row 3 is missing')
  })

  it('a deleted first row', () => {
    ctx.db.prepare('DELETE FROM audit_log WHERE seq = 1').run()
    expect(verifyAuditLog(ctx.db).firstBad).toMatchObject({ seq: 1 })
  })

  it('deleted rows at the end (caught by the chain head)', () => {
    ctx.db.prepare('DELETE FROM audit_log WHERE seq >= 5').run()
    const r = verifyAuditLog(ctx.db)
    expect(r.firstBad).toMatchObject({ seq: 5, problem: 'missing_tail' })
    expect(r.firstBad!.message).toContain('Rows 5–6 are missing')
  })

  it('every row deleted', () => {
    ctx.db.prepare('DELETE FROM audit_log').run()
    expect(verifyAuditLog(ctx.db).firstBad).toMatchObject({ seq: 1, problem: 'missing_tail' })
  })

  it('the chain head removed', () => {
    ctx.db.prepare('DELETE FROM settings WHERE key = ?').run(AUDIT_HEAD_KEY)
    expect(verifyAuditLog(ctx.db).firstBad).toMatchObject({ problem: 'anchor_missing' })
  })

  it('two rows swapped (reordered)', () => {
    ctx.db.transaction(() => {
      ctx.db.prepare('UPDATE audit_log SET seq = -1 WHERE seq = 2').run()
      ctx.db.prepare('UPDATE audit_log SET seq = 2 WHERE seq = 3').run()
      ctx.db.prepare('UPDATE audit_log SET seq = 3 WHERE seq = -1').run()
    })()
    expect(verifyAuditLog(ctx.db).firstBad).toMatchObject({ seq: 2, problem: 'broken_link' })
  })

  it('a row whose timestamp was changed', () => {
    ctx.db.prepare("UPDATE audit_log SET ts = '2020-01-01T00:00:00.000Z' WHERE seq = 6").run()
    expect(verifyAuditLog(ctx.db).firstBad).toMatchObject({ seq: 6, problem: 'edited' })
  })

  it('a forged row appended without the app', () => {
    const last = rows()[5]!
    const forged = { ...last, seq: 7, detail: 'forged', prev_hash: last.hash }
    const { hash: _h, ...rest } = forged
    ctx.db
      .prepare(
        `INSERT INTO audit_log (seq, ts, kind, actor, endpoint_id, host, port, address, purpose_json, bytes_sent, bytes_received, body_sha256, outcome, detail, prev_hash, hash)
         VALUES (@seq, @ts, @kind, @actor, @endpoint_id, @host, @port, @address, @purpose_json, @bytes_sent, @bytes_received, @body_sha256, @outcome, @detail, @prev_hash, @hash)`,
      )
      .run({ ...forged, hash: rowHash(rest) })
    expect(verifyAuditLog(ctx.db).firstBad).toMatchObject({ seq: 7, problem: 'anchor_mismatch' })
  })
})

describe('writes', () => {
  it('joins an outer transaction: the row rolls back with the change it records', () => {
    expect(() =>
      ctx.db.transaction(() => {
        approveDestination(ctx.db, {
          host: 'llm.hospital.test',
          port: 8000,
          reason: 'vLLM',
          approvedBy: 'officer',
          addresses: ['10.0.0.5'],
        })
        throw new Error('later failure')
      })(),
    ).toThrow('later failure')
    expect(rows()).toHaveLength(0)
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM egress_approvals').get()).toEqual({ n: 0 })
    expect(verifyAuditLog(ctx.db).ok).toBe(true)
  })

  it('several processes appending to the same file at once keep one unbroken chain', async () => {
    appendAudit(ctx.db, { kind: 'policy', actor: 'main', outcome: 'start' })
    const tsx = join(__dirname, '../../../node_modules/.bin/tsx')
    const worker = join(__dirname, 'append-worker.ts')
    const run = promisify(execFile)
    await Promise.all(['a', 'b', 'c'].map((tag) => run(tsx, [worker, ctx.dbPath, '60', tag])))
    const r = verifyAuditLog(ctx.db)
    expect(r).toMatchObject({ ok: true, rows: 181 })
    const seqs = rows().map((x) => x.seq)
    expect(seqs).toEqual(Array.from({ length: 181 }, (_, i) => i + 1))
  }, 60_000)
})

describe('queries and export', () => {
  beforeEach(() => seed(9))

  it('lists newest first with filters', () => {
    const all = listAudit(ctx.db)
    expect(all.total).toBe(9)
    expect(all.entries[0]!.seq).toBe(9)
    expect(listAudit(ctx.db, { kind: 'refusal' }).entries.map((e) => e.seq)).toEqual([9, 6, 3])
    expect(listAudit(ctx.db, { since: '2026-01-01T00:05:00Z' }).total).toBe(5)
    expect(listAudit(ctx.db, { host: 'llm.elsewhere.test', limit: 2 })).toMatchObject({
      total: 3,
      truncated: true,
    })
    expect(listAudit(ctx.db, { purposeKind: 'run' }).total).toBe(9)
    expect(listAudit(ctx.db).entries[0]!.purpose).toEqual({
      benchmark: 'medqa',
      instanceId: 9,
      kind: 'run',
      runId: 1,
    })
  })

  it('parses relative and absolute times, and names a bad one', () => {
    const now = new Date('2026-02-01T12:00:00Z')
    expect(parseTime('24h', 'since', now)).toBe('2026-01-31T12:00:00.000Z')
    expect(parseTime('2026-01-05', 'since', now)).toBe('2026-01-05T00:00:00.000Z')
    expect(() => parseTime('yesterday-ish', 'since', now)).toThrow(/since: "yesterday-ish" is not a time/)
  })

  it('summarizes destinations: requests, refusals and bytes', () => {
    const s = auditSummary(ctx.db)
    const local = s.destinations.find((d) => d.host === '127.0.0.1')!
    const remote = s.destinations.find((d) => d.host === 'llm.elsewhere.test')!
    expect(local).toMatchObject({
      requests: 6,
      refusals: 0,
      loopback: true,
      bytesSent: 100 * (1 + 2 + 4 + 5 + 7 + 8),
    })
    expect(remote).toMatchObject({ requests: 0, refusals: 3, loopback: false })
    expect(s.totalRows).toBe(9)
  })

  it('exports every row with its hashes as CSV', () => {
    appendAudit(ctx.db, {
      kind: 'policy',
      actor: 'o"brien',
      outcome: 'revoked',
      detail: 'reason, with comma\nand newline',
    })
    const file = join(ctx.dir, 'out', 'audit.csv')
    expect(exportAuditCsv(ctx.db, file)).toEqual({ file, rows: 10 })
    const text = readFileSync(file, 'utf8')
    const lines = text.split('\r\n')
    expect(lines[0]).toBe(
      'seq,ts,kind,actor,endpoint_id,endpoint,host,port,address,purpose,bytes_sent,bytes_received,body_sha256,outcome,detail,prev_hash,hash,completes_seq,intent_state',
    )
    expect(
      lines[1]!.startsWith(
        '1,2026-01-01T00:01:00.000Z,request,tester,,,127.0.0.1,11434,127.0.0.1,"{""benchmark"":""medqa""',
      ),
    ).toBe(true)
    expect(text).toContain('"o""brien"')
    expect(text).toContain('"reason, with comma\nand newline"')
    expect(lines[1]!.endsWith(`${rows()[0]!.hash},,`)).toBe(true)
  })

  it('a second handle on the same file sees the same verified chain', () => {
    const other = openDatabase(ctx.dbPath)
    try {
      appendAudit(other, { kind: 'policy', actor: 'other', outcome: 'x' })
      appendAudit(ctx.db, { kind: 'policy', actor: 'main', outcome: 'y' })
      expect(verifyAuditLog(other)).toMatchObject({ ok: true, rows: 11 })
    } finally {
      other.close()
    }
  })
})

describe('write-ahead intent rows', () => {
  const intent = (i: number, seqOfIntent?: number) => ({
    kind: 'request' as const,
    actor: 'tester',
    host: '127.0.0.1',
    port: 11434,
    address: '127.0.0.1',
    purpose: { kind: 'run' as const, runId: 1, benchmark: 'medqa', instanceId: i },
    bodySha256: 'cd'.repeat(32),
    ...(seqOfIntent === undefined
      ? { outcome: 'intent', bytesSent: 40 }
      : { outcome: 'ok', bytesSent: 300, bytesReceived: 500, completes: seqOfIntent }),
  })

  it('old logs (one row per request, no intents) verify with nothing unfinished', () => {
    seed(9)
    expect(verifyAuditLog(ctx.db)).toMatchObject({ ok: true, rows: 9, unfinished: { count: 0, seqs: [] } })
  })

  it('the link to the intent is hashed inside purpose_json', () => {
    const a = appendAudit(ctx.db, intent(1))
    const b = appendAudit(ctx.db, intent(1, a.seq))
    expect(JSON.parse(b.purpose_json)).toEqual({ ...intent(1).purpose, completesSeq: a.seq })
    expect(JSON.parse(canonicalRow(b))[8]).toBe(b.purpose_json)
  })

  it('old rows, completed intents and an unfinished one: verify, list and summary count each request once', () => {
    seed(3) // legacy: 2 requests (100 and 200 bytes) and a refusal
    const done = appendAudit(ctx.db, intent(4))
    const open = appendAudit(ctx.db, intent(5))
    appendAudit(ctx.db, intent(4, done.seq))
    expect(verifyAuditLog(ctx.db)).toMatchObject({
      ok: true,
      rows: 6,
      unfinished: { count: 1, seqs: [open.seq] },
      inFlight: 0,
    })
    const states = listAudit(ctx.db).entries.map((e) => [
      e.seq,
      e.intentState,
      e.completesSeq,
      e.completedBySeq,
    ])
    expect(states).toEqual([
      [6, null, 4, null],
      [5, 'unfinished', null, null],
      [4, 'completed', null, 6],
      [3, null, null, null],
      [2, null, null, null],
      [1, null, null, null],
    ])
    const local = auditSummary(ctx.db).destinations.find((d) => d.host === '127.0.0.1')!
    // 2 legacy + 1 completed + 1 unfinished; bytes: legacy rows, the outcome row, the unfinished intent.
    expect(local).toMatchObject({
      requests: 4,
      unfinished: 1,
      failures: 1,
      bytesSent: 100 + 200 + 300 + 40,
      bytesReceived: 10 + 20 + 500,
    })
    expect(auditSummary(ctx.db).byPurpose).toEqual([{ purposeKind: 'run', requests: 4, bytesSent: 640 }])
  })

  it('an unfinished intent whose row was deleted is caught by the chain', () => {
    appendAudit(ctx.db, intent(1))
    appendAudit(ctx.db, { kind: 'policy', actor: 'x', outcome: 'later' })
    ctx.db.exec('DROP TRIGGER audit_log_no_delete')
    ctx.db.prepare('DELETE FROM audit_log WHERE seq = 1').run()
    expect(verifyAuditLog(ctx.db)).toMatchObject({ ok: false, firstBad: { seq: 1, problem: 'broken_link' } })
  })
})
