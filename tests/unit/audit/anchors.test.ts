import { generateKeyPairSync, sign } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { verifyWithAnchors } from '../../../src/main/audit/anchor-verify'
import { anchorsDir, writeAnchor } from '../../../src/main/audit/anchors'
import { canonicalJson } from '../../../src/main/audit/chain'
import { appendAudit } from '../../../src/main/audit/log'
import { verifyAuditLog } from '../../../src/main/audit/verify'
import { attach, signContent, splitAttached } from '../../../src/main/signing/envelope'
import { fingerprintOf, type SigningKey } from '../../../src/main/signing/key'
import { tempContext, type TempContext } from '../../support/context'
import { forgeAuditLog } from '../../support/forge'

let ctx: TempContext
beforeEach(() => {
  ctx = tempContext()
})
afterEach(() => ctx.dispose())

function seed(n: number) {
  for (let i = 0; i < n; i++)
    appendAudit(ctx.db, {
      kind: 'request',
      actor: 'tester',
      host: '127.0.0.1',
      port: 11434,
      address: '127.0.0.1',
      purpose: { kind: 'status_check' },
      bytesSent: 10,
      outcome: 'ok',
      detail: `GET /api/version ${i}`,
    })
}
const lastSeq = () => ctx.db.prepare('SELECT MAX(seq) FROM audit_log').pluck().get() as number

/** Another installation's key: valid Ed25519, not ours. */
function foreignKey(): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  return {
    fingerprint: fingerprintOf(publicKey),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    createdAt: '2026-01-01T00:00:00.000Z',
    protection: 'none',
    file: '(memory)',
    sign: (data) => sign(null, data, privateKey),
  }
}

describe('anchors', () => {
  it('an anchor signs the head; verify proves rows 1–N and names the rows written after it', () => {
    seed(4)
    const a = writeAnchor(ctx, { reason: 'manual' })
    // the key was created on first use and recorded in the log, before the anchored head
    expect(a.seq).toBe(5)
    expect(ctx.db.prepare('SELECT outcome FROM audit_log WHERE seq = 5').pluck().get()).toBe('key_created')
    seed(3)
    const r = verifyWithAnchors(ctx)
    expect(r.ok).toBe(true)
    expect(r.counts).toEqual({ matched: 1, failed: 0, skipped: 0 })
    expect(r.proven).toMatchObject({ seq: 5, at: a.at, keyFingerprint: a.keyFingerprint })
    expect(r.unanchored).toEqual({ from: 6, to: 8 })
    expect(r.statement).toContain(
      `Rows 1–5 match the anchor of ${a.at} signed by ${a.keyFingerprint}; rows 6–8 were written after the last anchor.`,
    )
  })

  it('the forging attack (triggers dropped, row edited, every hash and the head recomputed) fails against the anchor, naming the row', () => {
    seed(6)
    writeAnchor(ctx, { reason: 'manual' })
    seed(3)
    const second = writeAnchor(ctx, { reason: 'run', runId: 1 })
    seed(2)
    forgeAuditLog(ctx.dbPath, { seq: 3, detail: 'GET /api/version (nothing to see here)' })
    // The chain alone is fooled…
    expect(verifyAuditLog(ctx.db).ok).toBe(true)
    // …the anchors are not.
    const r = verifyWithAnchors(ctx)
    expect(r.ok).toBe(false)
    expect(r.chainOk).toBe(true)
    expect(r.counts.failed).toBe(2)
    expect(r.firstDiffering).toMatchObject({ seq: 3, exact: true })
    expect(r.anchors.map((c) => c.status)).toEqual(['mismatch', 'mismatch'])
    expect(r.anchors[0]!.message).toMatch(/^Row 3 differs from the anchor of .* signed by SHA256:/)
    expect(r.proven).toBeNull()
    // a later anchor is refused over the rewritten log
    expect(() => writeAnchor(ctx, { reason: 'manual' })).toThrow(/no longer matches the anchor of/)
    expect(second.seq).toBeGreaterThan(7)
  })

  it('names the exact row in a later segment, and keeps earlier anchors proven', () => {
    seed(3)
    const first = writeAnchor(ctx, { reason: 'manual' })
    seed(5)
    writeAnchor(ctx, { reason: 'scoring' })
    forgeAuditLog(ctx.dbPath, { seq: first.seq + 3, detail: 'edited' })
    const r = verifyWithAnchors(ctx)
    expect(r.ok).toBe(false)
    expect(r.firstDiffering).toMatchObject({ seq: first.seq + 3, exact: true })
    expect(r.proven).toMatchObject({ seq: first.seq })
    expect(r.statement.some((l) => l.startsWith(`Rows 1–${first.seq} match the anchor of`))).toBe(true)
  })

  it('rows deleted from the end below an anchor fail, even with the head rewritten', () => {
    seed(6)
    const a = writeAnchor(ctx, { reason: 'manual' })
    forgeAuditLog(ctx.dbPath, { seq: 5, deleteFrom: 5 })
    expect(verifyAuditLog(ctx.db).ok).toBe(true)
    const r = verifyWithAnchors(ctx)
    expect(r.ok).toBe(false)
    expect(r.anchors[0]).toMatchObject({ status: 'missing_rows', firstDiffering: { seq: 5 } })
    expect(r.anchors[0]!.message).toContain(`Rows 5–${a.seq} are missing`)
  })

  it('a tampered anchor fails: a changed byte of the anchor or of its signature', () => {
    seed(3)
    const a = writeAnchor(ctx, { reason: 'manual' })
    const text = readFileSync(a.file, 'utf8')
    const parts = splitAttached(text)!
    // point the anchor at a forged head
    writeFileSync(a.file, text.replace(a.headHash, 'f'.repeat(64)))
    let r = verifyWithAnchors(ctx)
    expect(r.ok).toBe(false)
    expect(r.anchors[0]).toMatchObject({ status: 'content_changed' })
    // an edited signature line
    writeFileSync(
      a.file,
      [parts.content, parts.envelope.replace('"signedAt":"', '"signedAt":"1'), parts.extras].join('\n'),
    )
    r = verifyWithAnchors(ctx)
    expect(r.anchors[0]!.status).toBe('bad_signature')
    expect(r.ok).toBe(false)
  })

  it('an anchor signed by another key fails, unless that key is trusted explicitly', () => {
    seed(3)
    const a = writeAnchor(ctx, { reason: 'manual' })
    const parts = splitAttached(readFileSync(a.file, 'utf8'))!
    const content = JSON.parse(parts.content) as Record<string, unknown>
    const other = foreignKey()
    const line = canonicalJson({ ...content, keyFingerprint: other.fingerprint })
    const forged = join(anchorsDir(ctx.dataDir), 'forged.anchor')
    writeFileSync(
      forged,
      attach(
        line,
        signContent(other, line, { contentType: 'wardeval-audit-anchor/1', contentName: 'anchor' }),
      ),
    )
    const r = verifyWithAnchors(ctx)
    expect(r.ok).toBe(false)
    const bad = r.anchors.find((c) => c.file === forged)!
    expect(bad.status).toBe('untrusted_key')
    expect(bad.message).toContain(other.fingerprint)
    expect(verifyWithAnchors(ctx, { trust: [other.fingerprint] }).ok).toBe(true)
  })

  it('a planted anchor with a forged signature neither blocks anchoring nor passes verify', () => {
    seed(3)
    const a = writeAnchor(ctx, { reason: 'manual' })
    const parts = splitAttached(readFileSync(a.file, 'utf8'))!
    const content = JSON.parse(parts.content) as Record<string, unknown>
    const planted = join(anchorsDir(ctx.dataDir), 'zz-planted.anchor')
    writeFileSync(
      planted,
      [canonicalJson({ ...content, headHash: 'e'.repeat(64) }), parts.envelope].join('\n'),
    )
    seed(2)
    expect(writeAnchor(ctx, { reason: 'manual' }).seq).toBe(a.seq + 2)
    const r = verifyWithAnchors(ctx)
    expect(r.ok).toBe(false)
    expect(r.anchors.find((c) => c.file === planted)!.status).toBe('content_changed')
    expect(r.counts).toMatchObject({ matched: 2, failed: 1 })
  })

  it('checks anchors given by file (a copy kept elsewhere) and another anchors folder', () => {
    seed(3)
    const out = join(ctx.dir, 'offsite', 'copy.anchor')
    const a = writeAnchor(ctx, { reason: 'manual', out })
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(a.file, 'utf8'))
    const r = verifyWithAnchors(ctx, { dir: join(ctx.dir, 'offsite') })
    expect(r.counts.matched).toBe(1)
    expect(verifyWithAnchors(ctx, { dir: join(ctx.dir, 'none'), files: [out] }).counts.matched).toBe(1)
  })

  it('anchoring an unchanged head again is allowed; a fresh log is anchored from its key row', () => {
    const empty = tempContext()
    try {
      // creating the key writes the first row, so even a fresh log has something to anchor
      expect(writeAnchor(empty, { reason: 'manual' }).seq).toBe(1)
    } finally {
      empty.dispose()
    }
    seed(2)
    const a = writeAnchor(ctx, { reason: 'manual' })
    const b = writeAnchor(ctx, { reason: 'daily', now: new Date(Date.now() + 1000).toISOString() })
    expect(b.seq).toBe(a.seq)
    expect(readdirSync(anchorsDir(ctx.dataDir))).toHaveLength(2)
    expect(verifyWithAnchors(ctx)).toMatchObject({ ok: true, unanchored: null })
    expect(lastSeq()).toBe(a.seq)
  })
})
