import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { anchorsDir } from '../../../src/main/audit/anchors'
import { parseOctetCounted } from '../../../src/main/audit/syslog'
import { KEY_FILE_NAME } from '../../../src/main/signing/key'
import { runCliCaptured } from '../../support/cli'
import { tempContext, type TempContext } from '../../support/context'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { forgeAuditLog } from '../../support/forge'
import { goldOf, importPack, mcInstances, mcManifest } from '../runs/helpers'

let ctx: TempContext
let fake: FakeOllama

beforeEach(async () => {
  fake = await startFakeOllama({ answer: (req) => goldOf(req.lastUser) })
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  await importPack(ctx, ctx.dir, mcManifest('cli_mc'), mcInstances(6))
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

async function cli(...args: string[]) {
  const r = await runCliCaptured(['--db', ctx.dbPath, ...args], { env: { OLLAMA_HOST: fake.url } })
  return { code: r.code, out: r.stdout, err: r.stderr, json: () => JSON.parse(r.stdout) as unknown }
}
const anchorFiles = () => readdirSync(anchorsDir(ctx.dataDir)).filter((f) => f.endsWith('.anchor'))

describe('audit key, anchors, signed manifests and verify from the CLI', () => {
  it('audit key creates the key once, owner-only, outside the database, and prints its fingerprint', async () => {
    const first = await cli('audit', 'key')
    expect(first.code, first.err).toBe(0)
    const fp = /Installation key: (SHA256:[A-Za-z0-9+/]{43})/.exec(first.out)![1]
    const again = await cli('--json', 'audit', 'key')
    expect(again.json()).toMatchObject({ fingerprint: fp, protection: 'none' })
    const file = join(ctx.dataDir, KEY_FILE_NAME)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    // the private key is nowhere in the database
    const key = JSON.parse(readFileSync(file, 'utf8')) as { privateKey: string }
    expect(readFileSync(ctx.dbPath).includes(Buffer.from(key.privateKey))).toBe(false)
    const created = (await cli('--json', 'audit', '--kind', 'policy')).json() as {
      entries: { outcome: string; detail: string }[]
    }
    expect(created.entries.filter((e) => e.outcome === 'key_created')).toHaveLength(1)
    expect(created.entries[0]!.detail).toContain(fp)
  })

  it('a run and a scoring pass each leave an anchor; the manifest is signed; verify fails after a changed byte', async () => {
    const run = await cli('run', '--benchmark', 'cli_mc', '--model', 'ollama/llama3.2:3b')
    expect(run.code, run.err).toBe(0)
    expect(anchorFiles()).toHaveLength(1)
    const score = await cli('score', '1')
    expect(score.code, score.err).toBe(0)
    expect(anchorFiles()).toHaveLength(2)
    const reasons = anchorFiles().map(
      (f) =>
        JSON.parse(readFileSync(join(anchorsDir(ctx.dataDir), f), 'utf8').split('\n')[0]!) as {
          reason: string
          runId: number | null
        },
    )
    expect(reasons.map((r) => r.reason).sort()).toEqual(['run', 'scoring'])
    expect(reasons.find((r) => r.reason === 'run')!.runId).toBe(1)

    const file = join(ctx.dir, 'm.json')
    const m = await cli('run', 'manifest', '1', '--out', file)
    expect(m.code, m.err).toBe(0)
    expect(m.out).toContain(`${file}.sig`)
    const ok = await cli('verify', file)
    expect(ok.code, ok.err).toBe(0)
    expect(ok.out).toContain('VERIFIED')
    expect(ok.out).toContain('Signed content: wardeval-run-manifest/1')
    expect(ok.out).toMatch(/Signed at \d{4}-\d\d-\d\dT.* by key SHA256:/)
    // verifying through the .sig name works too
    expect((await cli('verify', `${file}.sig`)).code).toBe(0)
    const text = readFileSync(file, 'utf8')
    writeFileSync(file, text.replace('"seed": ', '"seed":  '))
    const bad = await cli('verify', file)
    expect(bad.code).toBe(1)
    expect(bad.out).toContain('NOT VERIFIED')
    expect(bad.out).toContain('content_changed')

    // an anchor file verifies on its own, and says what it anchors
    const anchor = join(anchorsDir(ctx.dataDir), anchorFiles()[0]!)
    const v = await cli('verify', anchor)
    expect(v.code, v.err).toBe(0)
    expect(v.out).toMatch(/Anchor: rows 1–\d+ with head hash [0-9a-f]{64}/)
  })

  it('audit anchor --out, then the forging attack: audit verify exits 1 naming the anchor and the row', async () => {
    await cli('run', '--benchmark', 'cli_mc', '--model', 'ollama/llama3.2:3b')
    const out = join(ctx.dir, 'offsite.anchor')
    const a = await cli('--json', 'audit', 'anchor', '--out', out)
    expect(a.code, a.err).toBe(0)
    const info = a.json() as { seq: number; at: string; keyFingerprint: string }
    await cli('models')
    const good = await cli('audit', 'verify')
    expect(good.code, good.out).toBe(0)
    expect(good.out).toContain('Audit log intact')
    expect(good.out).toContain(
      `Rows 1–${info.seq} match the anchor of ${info.at} signed by ${info.keyFingerprint}; rows ${info.seq + 1}–`,
    )

    forgeAuditLog(ctx.dbPath, { seq: 2, detail: 'forged' })
    const bad = await cli('audit', 'verify')
    expect(bad.code).toBe(1)
    expect(bad.out).toContain('AUDIT LOG ALTERED: the rows hash and link correctly, but row 2 differs')
    expect(bad.out).toMatch(/FAILED: Row 2 differs from the anchor of .*\.anchor\), signed by SHA256:/)
    // The copy kept elsewhere fails on its own too. It holds the hashes of the rows since the
    // anchor before it only, so without that one it can bound the rewritten row, not name it.
    const offsite = await cli(
      '--json',
      'audit',
      'verify',
      '--anchors',
      join(ctx.dir, 'none'),
      '--anchor',
      out,
    )
    expect(offsite.code).toBe(1)
    const r = offsite.json() as {
      ok: boolean
      chainOk: boolean
      firstDiffering: { seq: number; exact: boolean }
    }
    expect(r).toMatchObject({ ok: false, chainOk: true, firstDiffering: { exact: false } })
    expect(r.firstDiffering.seq).toBeGreaterThanOrEqual(2)
    expect(r.firstDiffering.seq).toBeLessThanOrEqual(info.seq)
  })

  it('audit forward set / status / send / off, to a loopback collector; an unapproved one is refused', async () => {
    const received: string[] = []
    const server = createServer((socket) => {
      let buf = Buffer.alloc(0)
      socket.on('data', (d: Buffer) => {
        const r = parseOctetCounted(Buffer.concat([buf, d]))
        received.push(...r.messages)
        buf = Buffer.from(r.rest)
      })
      socket.on('end', () => socket.end())
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const port = (server.address() as AddressInfo).port
    try {
      const refused = await cli('audit', 'forward', 'set', '--endpoint', 'siem.elsewhere.test:6514', '--tls')
      expect(refused.code).toBe(1)
      expect(refused.err).toContain('not an approved destination')
      expect((await cli('audit', 'forward', 'set', '--endpoint', 'nonsense')).code).toBe(2)
      const set = await cli('audit', 'forward', 'set', '--endpoint', `127.0.0.1:${port}`, '--all-rows')
      expect(set.code, set.err).toBe(0)
      expect(set.out).toContain(
        `Forwarding to 127.0.0.1:${port} over TCP (RFC 5424 syslog): anchors and every audit row.`,
      )
      // the anchor is forwarded as soon as it is written, before the command exits
      const a = (await cli('--json', 'audit', 'anchor')).json() as { seq: number }
      expect(received.filter((m) => m.includes(' anchor ['))).toHaveLength(1)
      const status = await cli('audit', 'forward', 'status')
      expect(status.out).toContain(`Last anchor delivered: rows 1–${a.seq}`)
      expect(status.out).toContain('Queued: 0 anchor(s), 2 row(s).')
      const send = await cli('audit', 'forward', 'send')
      expect(send.code, send.err).toBe(0)
      expect(send.out).toContain('Queued: 0 anchor(s), 2 row(s).') // that delivery's own rows wait for the next
      expect((await cli('audit', 'forward', 'off')).out).toContain('Audit forwarding is off')
    } finally {
      await new Promise<void>((r) => server.close(() => r()))
    }
  })

  it('usage: a missing signature, an empty anchors folder', async () => {
    const plain = join(ctx.dir, 'plain.json')
    writeFileSync(plain, '{}')
    const r = await cli('verify', plain)
    expect(r.code).toBe(1)
    expect(r.err).toContain('carries no signature')
    await cli('audit', 'key')
    const none = await cli('audit', 'verify', '--anchors', join(ctx.dir, 'nowhere'))
    expect(none.code).toBe(1)
    expect(none.err).toContain('No anchors (*.anchor)')
  })
})
