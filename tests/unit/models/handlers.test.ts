import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Router } from '../../../src/main/ipc/router'
import { APP_ORIGIN } from '../../../src/main/security/policy'
import { fakeDigest, startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { callThrough, routerFor } from '../../support/router'

let fake: FakeOllama
let ctx: TempContext
let router: Router
const events: [string, unknown][] = []

beforeAll(async () => {
  fake = await startFakeOllama()
})
afterAll(() => fake.close())
beforeEach(() => {
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  router = routerFor(ctx, {
    onInternalError: (c, e) => events.push([`internal ${c}`, e]),
  })
  ctx.events.on((c, p) => events.push([c, p]))
  events.length = 0
})
afterEach(() => ctx.dispose())

const call = (channel: string, input?: unknown) => callThrough(router, channel, input)

describe('models, egress and audit channels through the real router', () => {
  it('every channel answers with output that matches the contract', async () => {
    const eps = (await call('models:endpoints')) as { name: string }[]
    expect(eps.map((e) => e.name)).toEqual(['ollama'])
    const added = (await call('models:endpoint-add', { name: 'lab', url: fake.url, kind: 'openai' })) as {
      loopback: boolean
    }
    expect(added.loopback).toBe(true)
    const st = (await call('models:endpoints-status')) as { status: { reachable: boolean } }[]
    expect(st.map((e) => e.status.reachable)).toEqual([true, true])
    const l = (await call('models:list', { refresh: true })) as {
      models: { key: string; digest: string | null }[]
    }
    expect(l.models.find((m) => m.key === 'ollama/qwen2.5:7b')?.digest).toBe(fakeDigest('qwen2.5:7b'))
    const cached = (await call('models:list', {})) as { models: unknown[] }
    expect(cached.models).toHaveLength(4)

    const a = (await call('egress:approve', {
      host: '10.20.30.40', // an address: a name would be resolved (see egress/pinning.test.ts)
      port: 8000,
      reason: 'vLLM for the pilot',
    })) as { id: number; approvedBy: string }
    expect(a.approvedBy.length).toBeGreaterThan(0)
    const policy = (await call('egress:policy')) as { approvals: unknown[]; description: string }
    expect(policy.approvals).toHaveLength(1)
    expect(policy.description).toContain('loopback')
    const revoked = (await call('egress:revoke', { id: a.id })) as { revokedAt: string | null }
    expect(revoked.revokedAt).not.toBeNull()

    const page = (await call('audit:list', { kind: 'request' })) as {
      entries: { purposeKind: string }[]
      total: number
    }
    expect(page.total).toBeGreaterThan(0)
    expect(new Set(page.entries.map((e) => e.purposeKind))).toEqual(
      new Set(['status_check', 'model_listing']),
    )
    const summary = (await call('audit:summary')) as {
      destinations: { host: string; requests: number; bytesSent: number }[]
    }
    expect(summary.destinations[0]).toMatchObject({ host: '127.0.0.1' })
    expect(summary.destinations[0]!.bytesSent).toBeGreaterThan(0)
    const v = (await call('audit:verify')) as { ok: boolean }
    expect(v.ok).toBe(true)
    const ex = (await call('audit:export')) as { file: string; rows: number }
    expect(ex.file.startsWith(ctx.dir)).toBe(true)
    expect(ex.rows).toBeGreaterThan(5)

    const removed = (await call('models:endpoint-remove', { name: 'lab' })) as { removed: boolean }
    expect(removed.removed).toBe(true)
    expect(events.filter(([c]) => c.startsWith('internal'))).toEqual([])
    expect(events.some(([c]) => c === 'audit:appended')).toBe(true)
  })

  it('rejects bad input with a message naming the field', async () => {
    const r = await router.invoke(
      'models:endpoint-add',
      { name: 'bad name!', url: 'x', kind: 'openai' },
      { url: `${APP_ORIGIN}/`, isMainFrame: true },
    )
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toContain('name')
    const dup = await router.invoke(
      'egress:approve',
      { host: 'x.test', port: null, reason: '' },
      { url: `${APP_ORIGIN}/`, isMainFrame: true },
    )
    expect(dup.ok).toBe(false)
  })

  it('the default endpoint follows OLLAMA_HOST, and the move is audited', async () => {
    await call('models:endpoints')
    ctx.env.OLLAMA_HOST = '127.0.0.1:9'
    const eps = (await call('models:endpoints')) as { baseUrl: string }[]
    expect(eps[0]!.baseUrl).toBe('http://127.0.0.1:9')
    const page = (await call('audit:list', { kind: 'policy' })) as {
      entries: { outcome: string; detail: string }[]
    }
    expect(page.entries[0]).toMatchObject({ outcome: 'endpoint_changed' })
  })
})
