import { existsSync, readFileSync } from 'node:fs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { overrideEgressNetworkForTests } from '../../../src/main/egress'
import { fakeDigest, startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { scriptedNetwork } from '../egress/helpers'
import { runCliCaptured } from '../../support/cli'

let local: FakeOllama
let outside: FakeOllama // on 127.0.0.2, which the test network does not count as loopback
let dir: string
let db: string
let restore: () => void

beforeAll(async () => {
  local = await startFakeOllama()
  outside = await startFakeOllama({ host: '127.0.0.2' })
})
afterAll(async () => {
  await local.close()
  await outside.close()
})
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wardeval-cli-'))
  db = join(dir, 'w.db')
  outside.reset()
  restore = overrideEgressNetworkForTests(scriptedNetwork({ 'llm.hospital.test': ['127.0.0.2'] }))
})
afterEach(() => {
  restore()
  rmSync(dir, { recursive: true, force: true })
})

async function cli(...args: string[]) {
  const r = await runCliCaptured(['--db', db, ...args], { env: { OLLAMA_HOST: local.url } })
  return { ...r, json: () => JSON.parse(r.stdout) as unknown }
}

const me = userInfo().username

describe('CLI: endpoints, models, audit', () => {
  it('adds a loopback endpoint, lists endpoints with reachability and models with digests', async () => {
    const add = await cli('endpoints', 'add', 'lab', `${local.url}/v1`, '--kind', 'openai')
    expect(add.code, add.stderr).toBe(0)
    expect(add.stdout).toContain('Loopback destination: allowed by the default policy.')

    const list = await cli('--json', 'endpoints', 'list')
    expect(list.code).toBe(0)
    const eps = list.json() as {
      name: string
      isDefault: boolean
      status: { reachable: boolean; version: string | null }
    }[]
    expect(eps.map((e) => [e.name, e.isDefault, e.status.reachable])).toEqual([
      ['ollama', true, true],
      ['lab', false, true],
    ])
    expect(eps[0]!.status.version).toBe('0.12.6')

    const human = await cli('endpoints', 'list')
    expect(human.stdout).toMatch(/ollama \(default\)\s+ollama\s+http:\/\/127\.0\.0\.1:\d+\s+loopback/)

    const models = await cli('--json', 'models')
    expect(models.code).toBe(0)
    const m = models.json() as {
      models: { key: string; digest: string | null; parameterSize: string | null }[]
      failures: unknown[]
    }
    expect(m.failures).toEqual([])
    expect(m.models.find((x) => x.key === 'ollama/llama3.2:3b')).toMatchObject({
      digest: fakeDigest('llama3.2:3b'),
      parameterSize: '3.2B',
    })
    expect(m.models.find((x) => x.key === 'lab/qwen2.5:7b')).toMatchObject({ digest: null })

    const text = await cli('models')
    expect(text.stdout).toContain(`ollama/llama3.2:3b`)
    expect(text.stdout).toContain(fakeDigest('llama3.2:3b').slice(0, 12))
  })

  it('an unapproved remote endpoint is refused with zero connections and audited; approving it opens it', async () => {
    const add = await cli(
      'endpoints',
      'add',
      'hosp',
      `http://llm.hospital.test:${outside.port}`,
      '--kind',
      'openai',
    )
    expect(add.code, add.stderr).toBe(0)
    expect(add.stdout).toContain(`WARNING: llm.hospital.test:${outside.port} is not approved`)

    const models = await cli('--json', 'models')
    const l = models.json() as { failures: { endpoint: string; errorKind: string }[] }
    expect(l.failures).toEqual([expect.objectContaining({ endpoint: 'hosp', errorKind: 'refused' })])
    expect(outside.connections).toBe(0)

    const refusals = (await cli('--json', 'audit', '--kind', 'refusal')).json() as {
      entries: { host: string; address: string; purpose: unknown }[]
    }
    expect(refusals.entries).toEqual([
      expect.objectContaining({
        host: 'llm.hospital.test',
        address: '127.0.0.2',
        purpose: { kind: 'model_listing' },
      }),
    ])

    const approve = await cli('endpoints', 'approve', 'hosp', '--reason', 'Hospital vLLM, DPIA 2026-14')
    expect(approve.code, approve.stderr).toBe(0)
    expect(approve.stdout).toContain(`by ${me}`)
    const after = (await cli('--json', 'models')).json() as { models: { key: string }[]; failures: unknown[] }
    expect(after.failures).toEqual([])
    expect(after.models.map((x) => x.key)).toContain('hosp/llama3.2:3b')
    expect(outside.connections).toBe(1)

    const policy = (await cli('--json', 'egress', 'policy')).json() as {
      approvals: { host: string; port: number; approvedBy: string; reason: string }[]
    }
    expect(policy.approvals).toEqual([
      expect.objectContaining({
        host: 'llm.hospital.test',
        port: outside.port,
        approvedBy: me,
        reason: 'Hospital vLLM, DPIA 2026-14',
      }),
    ])
  })

  it('endpoints add --approve --reason records who, when and why', async () => {
    const r = await cli(
      '--json',
      'endpoints',
      'add',
      'hosp',
      `http://llm.hospital.test:${outside.port}`,
      '--kind',
      'ollama',
      '--approve',
      '--reason',
      'approved by the DPO',
    )
    expect(r.code, r.stderr).toBe(0)
    const e = r.json() as { approval: { approvedBy: string; approvedAt: string; reason: string } }
    expect(e.approval).toMatchObject({ approvedBy: me, reason: 'approved by the DPO' })
    expect(Date.parse(e.approval.approvedAt)).toBeGreaterThan(Date.now() - 60_000)
    const audit = (await cli('--json', 'audit')).json() as {
      entries: { kind: string; outcome: string; actor: string }[]
    }
    expect(audit.entries.map((x) => [x.kind, x.outcome])).toEqual([
      ['approval', 'approved'],
      ['policy', 'endpoint_added'],
      ['policy', 'endpoint_added'],
    ])
    expect(audit.entries[0]!.actor).toBe(me)
  })

  it('egress approve / revoke and endpoints remove', async () => {
    const a = await cli('--json', 'egress', 'approve', 'llm.hospital.test', '--reason', 'pilot')
    expect(a.code, a.stderr).toBe(0)
    const approval = a.json() as { id: number; port: number | null }
    expect(approval.port).toBeNull()
    const dup = await cli('egress', 'approve', 'llm.hospital.test', '--reason', 'again')
    expect(dup.code).toBe(1)
    expect(dup.stderr).toContain('already approved')
    await cli('endpoints', 'add', 'hosp', `http://llm.hospital.test:${outside.port}`, '--kind', 'openai')
    const listed = (await cli('--json', 'endpoints', 'list')).json() as {
      name: string
      status: { reachable: boolean }
    }[]
    expect(listed.find((e) => e.name === 'hosp')!.status.reachable).toBe(true)
    const r = await cli('egress', 'revoke', String(approval.id))
    expect(r.code, r.stderr).toBe(0)
    const after = (await cli('--json', 'endpoints', 'list')).json() as {
      name: string
      status: { reachable: boolean; errorKind: string | null }
    }[]
    expect(after.find((e) => e.name === 'hosp')!.status).toMatchObject({
      reachable: false,
      errorKind: 'refused',
    })
    const policy = await cli('egress', 'policy')
    expect(policy.stdout).toContain('Only this machine')
    expect((await cli('endpoints', 'remove', 'hosp')).code).toBe(0)
    expect((await cli('endpoints', 'remove', 'hosp')).code).toBe(1)
    expect((await cli('endpoints', 'remove', 'ollama')).code).toBe(1)
    expect((await cli('audit', 'verify')).code).toBe(0)
  })

  it('usage errors exit 2 with a message', async () => {
    const noReason = await cli(
      'endpoints',
      'add',
      'x',
      'http://10.0.0.1:8000',
      '--kind',
      'openai',
      '--approve',
    )
    expect(noReason.code).toBe(2)
    expect(noReason.stderr).toContain('--approve needs --reason')
    const badKind = await cli('endpoints', 'add', 'x', 'http://127.0.0.1:1', '--kind', 'bedrock')
    expect(badKind.code).toBe(2)
    const badUrl = await cli('endpoints', 'add', 'x', 'ftp://127.0.0.1/', '--kind', 'openai')
    expect(badUrl.code).toBe(2)
    expect(badUrl.stderr).toContain('url: use http:// or https://')
    const reserved = await cli('endpoints', 'add', 'ollama', 'http://127.0.0.1:1', '--kind', 'ollama')
    expect(reserved.code).toBe(1)
    const since = await cli('audit', '--since', 'last tuesday')
    expect(since.code).toBe(2)
  })

  it('audit --since, audit verify, and verify failing after the log is altered in SQLite', async () => {
    await cli('endpoints', 'list')
    await cli('models')
    const all = (await cli('--json', 'audit')).json() as { total: number }
    expect(all.total).toBeGreaterThan(3)
    const future = (await cli('--json', 'audit', '--since', '2999-01-01')).json() as { total: number }
    expect(future.total).toBe(0)
    const recent = (await cli('--json', 'audit', '--since', '1h')).json() as { total: number }
    expect(recent.total).toBe(all.total)

    const ok = await cli('audit', 'verify')
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain(`Audit log intact: ${all.total} rows`)

    const raw = new Database(db)
    expect(() => raw.prepare('UPDATE audit_log SET bytes_sent = 0 WHERE seq = 3').run()).toThrow(
      /append-only/,
    )
    // someone with the file can drop the guard trigger; the hash chain still tells
    raw.exec('DROP TRIGGER audit_log_no_update')
    raw.prepare('UPDATE audit_log SET bytes_sent = bytes_sent + 1 WHERE seq = 3').run()
    raw.close()
    const bad = await cli('audit', 'verify')
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain('AUDIT LOG ALTERED at row 3 (edited)')
    const badJson = await cli('--json', 'audit', 'verify')
    expect(badJson.json()).toMatchObject({ ok: false, firstBad: { seq: 3, problem: 'edited' } })
  })

  it('audit export writes a CSV', async () => {
    await cli('endpoints', 'list')
    const file = join(dir, 'exports', 'audit.csv')
    const r = await cli('audit', 'export', file)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/Wrote \d+ rows to /)
    expect(existsSync(file)).toBe(true)
    expect(readFileSync(file, 'utf8').split('\r\n')[0]).toContain('seq,ts,kind,actor')
    const dflt = await cli('--json', 'audit', 'export')
    const out = dflt.json() as { file: string }
    expect(out.file.startsWith(join(dir, 'exports', 'audit-'))).toBe(true)
  })
})
