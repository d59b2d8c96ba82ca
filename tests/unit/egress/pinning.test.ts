import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AuditRow } from '../../../src/main/audit/chain'
import { verifyAuditLog } from '../../../src/main/audit/verify'
import { approveHost, overrideEgressNetworkForTests, reapproveHost } from '../../../src/main/egress'
import { canonicalAddress } from '../../../src/main/egress/address'
import { EgressRefusedError } from '../../../src/main/egress/errors'
import { EgressGuard } from '../../../src/main/egress/guard'
import { approveDestination, listApprovals, normalizeApprovalHost } from '../../../src/main/egress/policy'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { scriptedNetwork } from './helpers'

/**
 * Egress pinning: a name is approved at the addresses it resolves to at approval. Tests treat
 * 127.0.0.2 (and 127.0.0.3) as remote hosts; only 127.0.0.1 is loopback in the scripted network.
 */

let outside: FakeOllama // 127.0.0.2: the approved address
let moved: FakeOllama // 127.0.0.3: where the name later points
let ctx: TempContext
let answer: string[]
let restore: () => void

beforeAll(async () => {
  outside = await startFakeOllama({ host: '127.0.0.2' })
  moved = await startFakeOllama({ host: '127.0.0.3', port: outside.port })
})
afterAll(async () => {
  await outside.close()
  await moved.close()
})
beforeEach(() => {
  answer = ['127.0.0.2']
  restore = overrideEgressNetworkForTests(scriptedNetwork({ 'llm.hospital.test': () => answer }))
  ctx = tempContext()
  outside.reset()
  moved.reset()
})
afterEach(() => {
  ctx.dispose()
  restore()
})

const rows = () => ctx.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[]
const listing = { kind: 'model_listing' } as const
const guard = () =>
  new EgressGuard(ctx.db, {
    actor: 'tester',
    network: scriptedNetwork({ 'llm.hospital.test': () => answer }),
  })
const url = () => `http://llm.hospital.test:${outside.port}/api/version`

describe('a name approved at its addresses', () => {
  it('records the addresses the name resolved to at approval', async () => {
    const a = await approveHost(ctx, { host: 'LLM.hospital.test', port: null, reason: 'hospital vLLM' })
    expect(a).toMatchObject({ host: 'llm.hospital.test', addresses: ['127.0.0.2'], replaces: null })
    expect(rows().at(-1)).toMatchObject({ kind: 'approval', outcome: 'approved', address: '127.0.0.2' })
    expect(rows().at(-1)!.detail).toContain('resolves to 127.0.0.2 (pinned)')
  })

  it('a name that re-resolves to another address is refused before connecting, and audited with both', async () => {
    const a = await approveHost(ctx, { host: 'llm.hospital.test', port: null, reason: 'hospital vLLM' })
    const g = guard()
    await (await g.request({ url: url(), purpose: listing })).arrayBuffer()
    expect(outside.connections).toBe(1)

    answer = ['127.0.0.3']
    const err = await g.request({ url: url(), purpose: listing }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EgressRefusedError)
    expect((err as EgressRefusedError).addressChange).toEqual({
      approvalId: a.id,
      host: 'llm.hospital.test',
      port: null,
      approved: ['127.0.0.2'],
      resolved: ['127.0.0.3'],
    })
    expect(moved.connections).toBe(0)
    const refusal = rows().at(-1)!
    expect(refusal).toMatchObject({ kind: 'refusal', outcome: 'refused', address: '127.0.0.3' })
    expect(refusal.detail).toContain('now resolves to 127.0.0.3')
    expect(refusal.detail).toContain('(127.0.0.2)')
    expect(refusal.detail).toContain(`re-approve it (approval ${a.id})`)
    expect(verifyAuditLog(ctx.db).ok).toBe(true)
  })

  it('an extra address beside the approved one is refused too (every address must pass)', async () => {
    await approveHost(ctx, { host: 'llm.hospital.test', port: null, reason: 'hospital vLLM' })
    answer = ['127.0.0.2', '127.0.0.3']
    await expect(guard().request({ url: url(), purpose: listing })).rejects.toBeInstanceOf(EgressRefusedError)
    expect(outside.connections + moved.connections).toBe(0)
  })

  it('re-approval is one step: the old approval is revoked, the new one pins the new address, both audited', async () => {
    const a = await approveHost(ctx, { host: 'llm.hospital.test', port: null, reason: 'hospital vLLM' })
    answer = ['127.0.0.3']
    await expect(guard().request({ url: url(), purpose: listing })).rejects.toBeInstanceOf(EgressRefusedError)
    // What the person was shown must still hold.
    await expect(reapproveHost(ctx, a.id, ['127.0.0.9'])).rejects.toThrow(/now resolves to 127.0.0.3/)
    const b = await reapproveHost(ctx, a.id, ['127.0.0.3'])
    expect(b).toMatchObject({
      host: 'llm.hospital.test',
      addresses: ['127.0.0.3'],
      replaces: a.id,
      reason: 'hospital vLLM',
    })
    expect(listApprovals(ctx.db).find((x) => x.id === a.id)!.revokedAt).not.toBeNull()
    expect(rows().at(-1)).toMatchObject({ kind: 'approval', outcome: 'reapproved', address: '127.0.0.3' })
    expect(rows().at(-1)!.detail).toContain('was 127.0.0.2, now 127.0.0.3')
    const res = await guard().request({ url: url(), purpose: listing })
    await res.arrayBuffer()
    expect(moved.connections).toBe(1)
    expect(verifyAuditLog(ctx.db).ok).toBe(true)
  })

  it('a name approved before addresses were recorded is refused until re-approved', async () => {
    ctx.db
      .prepare(
        "INSERT INTO egress_approvals (host, port, approved_by, reason, approved_at) VALUES ('llm.hospital.test', NULL, 'old', 'legacy', '2026-01-01T00:00:00Z')",
      )
      .run()
    const err = await guard()
      .request({ url: url(), purpose: listing })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EgressRefusedError)
    expect((err as EgressRefusedError).message).toMatch(/without recording its addresses/)
    expect(outside.connections).toBe(0)
  })

  it('a name that does not resolve cannot be approved', async () => {
    await expect(approveHost(ctx, { host: 'nowhere.test', port: null, reason: 'x' })).rejects.toThrow(
      /could not be resolved/,
    )
    expect(() =>
      approveDestination(ctx.db, { host: 'x.test', port: null, reason: 'x', approvedBy: 'a' }),
    ).toThrow(/did not resolve/)
  })

  it('the pinned addresses cannot be edited in the database by the app', async () => {
    const a = await approveHost(ctx, { host: 'llm.hospital.test', port: null, reason: 'hospital vLLM' })
    expect(() =>
      ctx.db.prepare(`UPDATE egress_approvals SET addresses_json = '["127.0.0.3"]' WHERE id = ?`).run(a.id),
    ).toThrow(/only be revoked/)
  })
})

describe('approvals written in non-canonical forms', () => {
  it('hexadecimal, integer, short and IPv4-mapped IPv6 forms are stored canonical', () => {
    expect(normalizeApprovalHost('0x7f000002')).toEqual({ host: '127.0.0.2', rewrittenFrom: '0x7f000002' })
    expect(normalizeApprovalHost('2130706434').host).toBe('127.0.0.2')
    expect(normalizeApprovalHost('0x0a.0.0.1').host).toBe('10.0.0.1')
    expect(normalizeApprovalHost('10.1').host).toBe('10.0.0.1')
    expect(normalizeApprovalHost('::ffff:10.0.0.5').host).toBe('10.0.0.5')
    expect(normalizeApprovalHost('[::FFFF:a00:5]').host).toBe('10.0.0.5')
    expect(normalizeApprovalHost('fd00:0:0:0:0:0:0:5').host).toBe('fd00::5')
    expect(normalizeApprovalHost('10.0.0.5')).toEqual({ host: '10.0.0.5', rewrittenFrom: null })
  })

  it('an octal-looking form is refused naming the canonical form', () => {
    expect(() => normalizeApprovalHost('010.1.2.3')).toThrow(/"010.1.2.3" is read as 8.1.2.3/)
    expect(() => normalizeApprovalHost('08.1.1.1')).toThrow(/not a host name or IP address/)
  })

  it('the stored form is what the guard compares: an approval written in hex covers the address', async () => {
    const a = approveDestination(ctx.db, {
      host: '0x7f000002',
      port: outside.port,
      reason: 'lab server',
      approvedBy: 'officer',
    })
    expect(a.host).toBe('127.0.0.2')
    expect(rows().at(-1)!.detail).toContain('written as 0x7f000002')
    const res = await guard().request({
      url: `http://[::ffff:127.0.0.2]:${outside.port}/api/version`,
      purpose: listing,
    })
    await res.arrayBuffer()
    expect(outside.connections).toBe(1)
  })

  it('canonical addresses', () => {
    expect(canonicalAddress('::ffff:7f00:2')).toBe('127.0.0.2')
    expect(canonicalAddress('[0:0:0:0:0:0:0:1]')).toBe('::1')
    expect(canonicalAddress('llm.test')).toBeNull()
  })
})

describe('re-approval offered on the endpoint and in one CLI step', () => {
  it('the endpoint status carries the change, and egress:reapprove applies it', async () => {
    const { routerFor, callThrough } = await import('../../support/router')
    const router = routerFor(ctx)
    const call = <T>(channel: string, input?: unknown) => callThrough<T>(router, channel, input)
    await call('models:endpoint-add', {
      name: 'lab',
      url: `http://llm.hospital.test:${outside.port}`,
      kind: 'ollama',
      approveReason: 'hospital vLLM',
    })
    answer = ['127.0.0.3']
    type Status = {
      name: string
      approval: { id: number } | null
      status: { errorKind: string | null; addressChange: unknown }
    }
    const lab = (await call<Status[]>('models:endpoints-status')).find((e) => e.name === 'lab')!
    expect(lab.status.errorKind).toBe('refused')
    expect(lab.status.addressChange).toEqual({
      approvalId: lab.approval!.id,
      host: 'llm.hospital.test',
      port: outside.port,
      approved: ['127.0.0.2'],
      resolved: ['127.0.0.3'],
    })
    const b = await call<{ id: number; addresses: string[] }>('egress:reapprove', {
      id: lab.approval!.id,
      addresses: ['127.0.0.3'],
    })
    expect(b.addresses).toEqual(['127.0.0.3'])
    const after = (await call<Status[]>('models:endpoints-status')).find((e) => e.name === 'lab')!
    expect(after.status).toMatchObject({ errorKind: null, addressChange: null })
    expect(moved.connections).toBe(1)
  })

  it('CLI: egress approve pins, a moved name is refused, egress reapprove fixes it', async () => {
    const { runCliCaptured } = await import('../../support/cli')
    const cli = (...args: string[]) => runCliCaptured(['--db', ctx.dbPath, ...args])
    ctx.dispose()
    const approved = await cli('egress', 'approve', 'llm.hospital.test', '--reason', 'pilot')
    expect(approved.code).toBe(0)
    expect(approved.stdout).toContain('Approved llm.hospital.test at 127.0.0.2 (approval 1)')
    expect((await cli('egress', 'approve', '010.1.2.3', '--reason', 'x')).stderr).toContain(
      'is read as 8.1.2.3',
    )
    answer = ['127.0.0.3']
    const re = await cli('egress', 'reapprove', '1', '--expect', '127.0.0.3')
    expect(re.code).toBe(0)
    expect(re.stdout).toContain('at 127.0.0.3 (approval 2)')
    expect(re.stdout).toContain('replaces approval 1')
    const policy = await cli('--json', 'egress', 'policy')
    const p = JSON.parse(policy.stdout) as {
      approvals: { id: number; addresses: string[]; revokedAt: string | null }[]
    }
    // [id, pinned addresses, active]
    expect(p.approvals.map((a) => [a.id, a.addresses, a.revokedAt === null])).toEqual([
      [1, ['127.0.0.2'], false],
      [2, ['127.0.0.3'], true],
    ])
  })
})
