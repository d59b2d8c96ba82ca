import {
  ENDPOINT_NAME_PATTERN,
  ENDPOINT_NAME_RULE,
  type AddEndpointInput,
  type Endpoint,
  type EndpointKind,
} from '../../shared/api/models'
import type { AppContext } from '../app/context'
import { appendAudit } from '../audit/log'
import { canonicalAddress, isLoopbackHost, destinationOf, formatHostPort } from '../egress/address'
import { egressGuard } from '../egress'
import { approveDestination, findApproval } from '../egress/policy'
import { AppError } from '../errors'
import { ollamaBaseUrl } from './ollama-host'
import { apiKeyVariable } from './openai-client'
import type { EndpointRef } from './types'

/** The built-in endpoint: Ollama on this machine, at OLLAMA_HOST or http://127.0.0.1:11434. */
export const DEFAULT_ENDPOINT_NAME = 'ollama'

interface EndpointRow {
  id: number
  name: string
  kind: EndpointKind
  base_url: string
  concurrency: number
  timeout_ms: number
  created_at: string
  model_count?: number
}

type Ctx = Pick<AppContext, 'db' | 'env'>

/** Validates and normalizes a server URL: http(s), no credentials, query or fragment; no trailing slash. */
export function normalizeBaseUrl(raw: string): string {
  let u: URL
  try {
    u = new URL(raw.trim())
  } catch {
    throw new AppError(
      'invalid_input',
      `url: "${raw.slice(0, 200)}" is not a URL (write it as http://host:port).`,
    )
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new AppError('invalid_input', `url: use http:// or https://, not ${u.protocol}`)
  if (u.username || u.password)
    throw new AppError(
      'invalid_input',
      'url: must not contain a user name or password (use WARDEVAL_API_KEY_<NAME> for API keys).',
    )
  if (u.search || u.hash) throw new AppError('invalid_input', 'url: must not contain a query or fragment.')
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`
}

function defaultUrl(ctx: Ctx): string {
  try {
    return ollamaBaseUrl(ctx.env)
  } catch (e) {
    throw new AppError('invalid_input', (e as Error).message)
  }
}

/**
 * Makes sure the default Ollama endpoint exists and points where OLLAMA_HOST says (recording a
 * policy row in the audit log when it is created or moves). Returns its row id.
 */
export function ensureDefaultEndpoint(ctx: Ctx, actor: string): number {
  const url = defaultUrl(ctx)
  return ctx.db.transaction(() => {
    const row = ctx.db.prepare('SELECT * FROM endpoints WHERE name = ?').get(DEFAULT_ENDPOINT_NAME) as
      EndpointRow | undefined
    if (row && row.base_url === url && row.kind === 'ollama') return row.id
    const dest = destinationOf(url)
    if (row) {
      ctx.db.prepare("UPDATE endpoints SET base_url = ?, kind = 'ollama' WHERE id = ?").run(url, row.id)
      appendAudit(ctx.db, {
        kind: 'policy',
        actor,
        endpointId: row.id,
        host: dest.host,
        port: dest.port,
        outcome: 'endpoint_changed',
        detail: `default endpoint "${DEFAULT_ENDPOINT_NAME}" now at ${url} (was ${row.base_url}; OLLAMA_HOST)`,
      })
      return row.id
    }
    const info = ctx.db
      .prepare("INSERT INTO endpoints (name, kind, base_url, created_at) VALUES (?, 'ollama', ?, ?)")
      .run(DEFAULT_ENDPOINT_NAME, url, new Date().toISOString())
    const id = Number(info.lastInsertRowid)
    appendAudit(ctx.db, {
      kind: 'policy',
      actor,
      endpointId: id,
      host: dest.host,
      port: dest.port,
      outcome: 'endpoint_added',
      detail: `default endpoint "${DEFAULT_ENDPOINT_NAME}" (ollama) at ${url}`,
    })
    return id
  })()
}

function toEndpoint(ctx: Ctx, r: EndpointRow): Endpoint {
  const dest = destinationOf(r.base_url)
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    baseUrl: r.base_url,
    isDefault: r.name === DEFAULT_ENDPOINT_NAME,
    host: dest.host,
    port: dest.port,
    loopback: isLoopbackHost(dest.host),
    approval: findApproval(ctx.db, dest.host, dest.port),
    concurrency: r.concurrency,
    timeoutMs: r.timeout_ms,
    createdAt: r.created_at,
    modelCount: r.model_count ?? 0,
  }
}

export function listEndpoints(ctx: Ctx, actor: string): Endpoint[] {
  ensureDefaultEndpoint(ctx, actor)
  const rows = ctx.db
    .prepare(
      `SELECT e.*, (SELECT COUNT(*) FROM models m WHERE m.endpoint_id = e.id) AS model_count
       FROM endpoints e ORDER BY e.name = ? DESC, e.name`,
    )
    .all(DEFAULT_ENDPOINT_NAME) as EndpointRow[]
  return rows.map((r) => toEndpoint(ctx, r))
}

export function getEndpoint(ctx: Ctx, name: string, actor: string): Endpoint {
  if (name === DEFAULT_ENDPOINT_NAME) ensureDefaultEndpoint(ctx, actor)
  const row = ctx.db
    .prepare(
      'SELECT e.*, (SELECT COUNT(*) FROM models m WHERE m.endpoint_id = e.id) AS model_count FROM endpoints e WHERE e.name = ?',
    )
    .get(name) as EndpointRow | undefined
  if (!row) throw new AppError('not_found', `No endpoint named "${name}". See \`endpoints list\`.`)
  return toEndpoint(ctx, row)
}

export function endpointRef(e: Endpoint): EndpointRef {
  return {
    id: e.id,
    name: e.name,
    kind: e.kind,
    baseUrl: e.baseUrl,
    concurrency: e.concurrency,
    timeoutMs: e.timeoutMs,
  }
}

/** Two endpoints must not read their API key from the same environment variable. */
function refuseSharedKeyVariable(ctx: Ctx, name: string): void {
  const variable = apiKeyVariable(name)
  const names = ctx.db.prepare('SELECT name FROM endpoints').pluck().all() as string[]
  const clash = names.find((n) => apiKeyVariable(n) === variable)
  if (clash) {
    throw new AppError(
      'conflict',
      `name: "${name}" and the existing endpoint "${clash}" would both take their API key from ${variable}; pick another name.`,
    )
  }
}

/**
 * Adds an endpoint, and with `approveReason` approves its host and port in the same transaction.
 * A non-loopback endpoint without an approval is kept, but every request to it is refused (and
 * audited) until someone approves it.
 */
export function addEndpoint(
  ctx: Ctx,
  input: AddEndpointInput,
  actor: string,
  /** With `approveReason` and a host name: the addresses it resolves to now (see resolveAndAddEndpoint). */
  pinned: readonly string[] = [],
): { endpoint: Endpoint; approvedNow: boolean } {
  if (!ENDPOINT_NAME_PATTERN.test(input.name)) {
    throw new AppError('invalid_input', `name: not a valid endpoint name (${ENDPOINT_NAME_RULE}).`)
  }
  if (input.name === DEFAULT_ENDPOINT_NAME) {
    throw new AppError(
      'conflict',
      `"${DEFAULT_ENDPOINT_NAME}" is the built-in endpoint (Ollama on this machine); set OLLAMA_HOST to move it, or pick another name.`,
    )
  }
  const url = normalizeBaseUrl(input.url)
  const dest = destinationOf(url)
  ensureDefaultEndpoint(ctx, actor)
  let approvedNow = false
  ctx.db.transaction(() => {
    const existing = ctx.db.prepare('SELECT id FROM endpoints WHERE name = ?').get(input.name)
    if (existing) throw new AppError('conflict', `An endpoint named "${input.name}" already exists.`)
    refuseSharedKeyVariable(ctx, input.name)
    const info = ctx.db
      .prepare('INSERT INTO endpoints (name, kind, base_url, created_at) VALUES (?, ?, ?, ?)')
      .run(input.name, input.kind, url, new Date().toISOString())
    const newId = Number(info.lastInsertRowid)
    appendAudit(ctx.db, {
      kind: 'policy',
      actor,
      endpointId: newId,
      host: dest.host,
      port: dest.port,
      outcome: 'endpoint_added',
      detail: `endpoint "${input.name}" (${input.kind}) at ${url}`,
    })
    if (input.approveReason && !findApproval(ctx.db, dest.host, dest.port)) {
      approveDestination(ctx.db, {
        host: dest.host,
        port: dest.port,
        reason: input.approveReason,
        approvedBy: actor,
        addresses: pinned,
      })
      approvedNow = true
    }
    return newId
  })()
  return { endpoint: getEndpoint(ctx, input.name, actor), approvedNow }
}

/**
 * addEndpoint, resolving the host name first when it is to be approved: the approval pins the
 * addresses it resolves to now (a name that does not resolve is refused, and nothing is added).
 */
export async function resolveAndAddEndpoint(
  ctx: Ctx,
  input: AddEndpointInput,
  actor: string,
): Promise<{ endpoint: Endpoint; approvedNow: boolean }> {
  const host = destinationOf(normalizeBaseUrl(input.url)).host
  const pinned =
    input.approveReason && !isLoopbackHost(host) && canonicalAddress(host) === null
      ? (
          await egressGuard(ctx)
            .lookup(host)
            .catch(() => [])
        ).map((a) => a.address)
      : []
  return addEndpoint(ctx, input, actor, pinned)
}

export function removeEndpoint(ctx: Ctx, name: string, actor: string): boolean {
  if (name === DEFAULT_ENDPOINT_NAME)
    throw new AppError(
      'conflict',
      `"${DEFAULT_ENDPOINT_NAME}" is the built-in endpoint and cannot be removed.`,
    )
  return ctx.db.transaction(() => {
    const row = ctx.db.prepare('SELECT * FROM endpoints WHERE name = ?').get(name) as EndpointRow | undefined
    if (!row) return false
    const used = ctx.db.prepare('SELECT COUNT(*) AS n FROM requests WHERE endpoint_id = ?').get(row.id) as {
      n: number
    }
    if (used.n > 0)
      throw new AppError(
        'conflict',
        `Endpoint "${name}" has ${used.n} recorded requests (runs use it); it cannot be removed.`,
      )
    ctx.db.prepare('DELETE FROM endpoints WHERE id = ?').run(row.id)
    const dest = destinationOf(row.base_url)
    appendAudit(ctx.db, {
      kind: 'policy',
      actor,
      endpointId: row.id,
      host: dest.host,
      port: dest.port,
      outcome: 'endpoint_removed',
      detail: `endpoint "${name}" (${row.kind}) at ${row.base_url} removed; approvals of ${formatHostPort(dest.host, dest.port)} are unchanged`,
    })
    return true
  })()
}
