import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { groupText, requestStatusText, UNFINISHED_TEXT } from '../../../src/shared/api/audit-requests'
import { appendAudit, type AuditRecord } from '../../../src/main/audit/log'
import { GROUP_GAP_MS, listRequests } from '../../../src/main/audit/requests'
import { runCliCaptured } from '../../support/cli'
import { tempContext, type TempContext } from '../../support/context'

let ctx: TempContext
beforeEach(() => {
  ctx = tempContext()
})
afterEach(() => ctx.dispose())

const T0 = Date.parse('2026-12-01T08:00:00.000Z')
const at = (ms: number) => new Date(T0 + ms).toISOString()
const local = { host: '127.0.0.1', port: 11434, address: '127.0.0.1' }
const remote = { host: '127.0.0.2', port: 8000, address: '127.0.0.2' }

/** An intent row and (unless `outcome` is null) its outcome row, as the egress guard writes them. */
function request(
  ms: number,
  purpose: AuditRecord['purpose'],
  outcome: string | null,
  dest = local,
  took = 250,
): number {
  const intent = appendAudit(ctx.db, {
    kind: 'request',
    actor: 'test',
    ...dest,
    purpose,
    bytesSent: 120,
    outcome: 'intent',
    ts: at(ms),
  })
  if (outcome !== null)
    appendAudit(ctx.db, {
      kind: 'request',
      actor: 'test',
      ...dest,
      purpose,
      bytesSent: 130,
      bytesReceived: 900,
      outcome,
      detail: outcome === 'ok' ? '' : 'HTTP 500',
      ts: at(ms + took),
      completes: intent.seq,
    })
  return intent.seq
}

const check = { kind: 'status_check' } as const
const run = (i: number) =>
  ({ kind: 'run', runId: 1, benchmark: 'private_notes', instanceId: i, modelKey: 'ollama/qwen3:8b' }) as const

describe('one row per request (audit:requests, audit requests)', () => {
  it('joins each intent with its outcome: bytes on the wire, status, duration; an intent without outcome is flagged', () => {
    const okSeq = request(0, run(1), 'ok', local, 1500)
    request(
      10_000,
      { kind: 'judge', runId: 1, benchmark: 'b', instanceId: 1, judgeKey: 'ollama/gemma3:4b' },
      'http_error',
    )
    const open = request(20_000, run(2), null, remote)
    appendAudit(ctx.db, {
      kind: 'refusal',
      actor: 'test',
      host: 'evil.example',
      port: 443,
      outcome: 'refused',
      ts: at(30_000),
    })

    const page = listRequests(ctx.db)
    expect(page.total).toBe(4)
    const [refusal, unfinished, failed, ok] = page.items
    expect(refusal).toMatchObject({ type: 'request', kind: 'refusal', status: 'refused' })
    expect(unfinished).toMatchObject({
      seq: open,
      outcomeSeq: null,
      status: 'unfinished',
      bytesSent: 120,
      durationMs: null,
      host: '127.0.0.2',
    })
    expect(requestStatusText(unfinished as never)).toBe(UNFINISHED_TEXT)
    expect(failed).toMatchObject({
      status: 'failed',
      outcome: 'http_error',
      model: 'ollama/gemma3:4b',
      detail: 'HTTP 500',
    })
    expect(ok).toMatchObject({
      seq: okSeq,
      outcomeSeq: okSeq + 1,
      status: 'ok',
      bytesSent: 130,
      bytesReceived: 900,
      durationMs: 1500,
      model: 'ollama/qwen3:8b',
    })
    // every audit row is accounted for: 6 rows → 4 requests
    expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n).toBe(6)
    expect(
      listRequests(ctx.db, { status: 'unfinished' }).items.map((i) => i.type === 'request' && i.seq),
    ).toEqual([open])
  })

  it('groups repeated status checks per destination and status, expandable by seq range, and counts facets', () => {
    for (let i = 0; i < 30; i++) request(i * 5_000, check, 'ok')
    request(60_000, run(1), 'ok')
    for (let i = 0; i < 3; i++) request(70_000 + i * 5_000, check, 'network_error', remote)
    // a long pause starts a new group
    request(200_000 + GROUP_GAP_MS, check, 'ok')
    request(201_000 + GROUP_GAP_MS, check, 'ok')

    const page = listRequests(ctx.db)
    expect(page.requests).toBe(36)
    const groups = page.items.filter((i) => i.type === 'group')
    expect(groups.map((g) => [g.count, g.status, g.host])).toEqual([
      [2, 'ok', '127.0.0.1'],
      [3, 'failed', '127.0.0.2'],
      [30, 'ok', '127.0.0.1'],
    ])
    expect(page.items).toHaveLength(4)
    const big = groups[2]!
    expect(groupText(big, '127.0.0.1:11434')).toBe(
      `30 status checks to 127.0.0.1:11434 between ${at(0)} and ${at(145_000)}`,
    )
    expect(groupText(groups[1]!, '127.0.0.2:8000')).toMatch(/^3 failed status checks to 127\.0\.0\.2:8000/)
    const expanded = listRequests(ctx.db, {
      fromSeq: big.fromSeq,
      toSeq: big.toSeq,
      purposeKind: 'status_check',
      host: big.host,
      status: big.status,
      groupChecks: false,
    })
    expect(expanded.total).toBe(30)
    expect(page.facets.purposeKind).toEqual({ status_check: 35, run: 1 })
    expect(page.facets.status).toEqual({ ok: 33, failed: 3 })
    expect(page.facets.destination).toEqual({ '127.0.0.1:11434': 33, '127.0.0.2:8000': 3 })
    // filters and paging
    expect(listRequests(ctx.db, { purposeKind: 'run' }).items).toHaveLength(1)
    expect(listRequests(ctx.db, { groupChecks: false, offset: 10, limit: 5 }).items).toHaveLength(5)
  })

  it('the CLI prints the same view', async () => {
    for (let i = 0; i < 4; i++) request(i * 1000, check, 'ok')
    request(10_000, run(3), null)
    const r = await runCliCaptured(['--db', ctx.dbPath, 'audit', 'requests'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('4 status checks to 127.0.0.1:11434 between')
    expect(r.stdout).toContain(UNFINISHED_TEXT)
    expect(r.stdout).toContain('ollama/qwen3:8b')
    const each = await runCliCaptured(['--db', ctx.dbPath, '--json', 'audit', 'requests', '--no-group'])
    expect((JSON.parse(each.stdout) as { total: number }).total).toBe(5)
    const bad = await runCliCaptured(['--db', ctx.dbPath, 'audit', 'requests', '--status', 'nope'])
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain('--status')
  })
})
