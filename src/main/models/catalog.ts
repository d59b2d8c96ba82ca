import type { Endpoint, EndpointWithStatus, ModelInfo, ModelListing } from '../../shared/api/models'
import type { AppContext } from '../app/context'
import { egressGuard } from '../egress'
import { endpointClient } from './clients'
import { listEndpoints } from './endpoints'
import { toModelError } from './errors'
import type { DiscoveredModel } from './types'

type Ctx = Pick<AppContext, 'db' | 'env'>

/** Replaces an endpoint's stored models with what it just listed (one transaction). */
export function storeModels(
  ctx: Ctx,
  endpointId: number,
  models: DiscoveredModel[],
  now: string = new Date().toISOString(),
): void {
  const upsert = ctx.db.prepare(
    `INSERT INTO models (endpoint_id, name, digest, size_bytes, family, parameter_size, quantization, details_json, last_seen_at)
     VALUES (@endpointId, @name, @digest, @sizeBytes, @family, @parameterSize, @quantization, @details, @now)
     ON CONFLICT(endpoint_id, name) DO UPDATE SET digest = excluded.digest, size_bytes = excluded.size_bytes,
       family = excluded.family, parameter_size = excluded.parameter_size, quantization = excluded.quantization,
       details_json = excluded.details_json, last_seen_at = excluded.last_seen_at`,
  )
  ctx.db.transaction(() => {
    for (const m of models) {
      upsert.run({
        endpointId,
        name: m.name,
        digest: m.digest,
        sizeBytes: m.sizeBytes,
        family: m.family,
        parameterSize: m.parameterSize,
        quantization: m.quantization,
        details: JSON.stringify({ ...m.details, contextLength: m.contextLength }),
        now,
      })
    }
    const names = models.map((m) => m.name)
    const stale = ctx.db.prepare('SELECT id, name FROM models WHERE endpoint_id = ?').all(endpointId) as {
      id: number
      name: string
    }[]
    const del = ctx.db.prepare('DELETE FROM models WHERE id = ?')
    for (const s of stale) if (!names.includes(s.name)) del.run(s.id)
  })()
}

interface ModelRow {
  endpoint: string
  kind: 'ollama' | 'openai'
  name: string
  digest: string | null
  size_bytes: number | null
  family: string | null
  parameter_size: string | null
  quantization: string | null
  details_json: string
  last_seen_at: string
}

export function storedModels(ctx: Ctx): ModelInfo[] {
  const rows = ctx.db
    .prepare(
      `SELECT e.name AS endpoint, e.kind, m.name, m.digest, m.size_bytes, m.family, m.parameter_size, m.quantization, m.details_json, m.last_seen_at
       FROM models m JOIN endpoints e ON e.id = m.endpoint_id ORDER BY e.name = 'ollama' DESC, e.name, m.name`,
    )
    .all() as ModelRow[]
  return rows.map((r) => {
    let contextLength: number | null = null
    try {
      const d = JSON.parse(r.details_json) as { contextLength?: unknown }
      if (typeof d.contextLength === 'number') contextLength = d.contextLength
    } catch {
      contextLength = null
    }
    return {
      endpoint: r.endpoint,
      endpointKind: r.kind,
      name: r.name,
      key: `${r.endpoint}/${r.name}`,
      digest: r.digest,
      sizeBytes: r.size_bytes,
      family: r.family,
      parameterSize: r.parameter_size,
      quantization: r.quantization,
      contextLength,
      lastSeenAt: r.last_seen_at,
    }
  })
}

/** Asks one endpoint for its models and stores them. Throws ModelError. */
export async function refreshEndpointModels(ctx: Ctx, endpoint: Endpoint): Promise<DiscoveredModel[]> {
  const models = await endpointClient(ctx, endpoint).listModels()
  storeModels(ctx, endpoint.id, models)
  return models
}

/**
 * Models of all endpoints. With refresh, every endpoint is asked first (in parallel); an endpoint
 * that fails is reported in `failures` (with the typed reason) and keeps its previously seen models.
 */
export async function listModels(ctx: Ctx, options: { refresh: boolean }): Promise<ModelListing> {
  const failures: ModelListing['failures'] = []
  if (options.refresh) {
    const endpoints = listEndpoints(ctx, egressGuard(ctx).actor)
    await Promise.all(
      endpoints.map(async (e) => {
        try {
          await refreshEndpointModels(ctx, e)
        } catch (err) {
          const me = toModelError(err, e.name)
          failures.push({ endpoint: e.name, error: me.detail, errorKind: me.kind })
        }
      }),
    )
  }
  failures.sort((a, b) => a.endpoint.localeCompare(b.endpoint))
  return { models: storedModels(ctx), failures }
}

/** Every endpoint with a fresh reachability check (audited as status checks). */
export async function endpointsWithStatus(ctx: Ctx, timeoutMs = 3000): Promise<EndpointWithStatus[]> {
  const endpoints = listEndpoints(ctx, egressGuard(ctx).actor)
  return Promise.all(
    endpoints.map(async (e) => ({ ...e, status: await endpointClient(ctx, e).status({ timeoutMs }) })),
  )
}
