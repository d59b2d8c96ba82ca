import type { AppContext } from '../app/context'
import type { Db } from '../db/open'
import { egressGuard } from '../egress'
import { AppError } from '../errors'
import { endpointRef, getEndpoint } from './endpoints'
import { OllamaEndpointClient } from './ollama-client'
import { OpenAiEndpointClient } from './openai-client'
import type { ChatClient, EndpointClient } from './types'
import type { Endpoint } from '../../shared/api/models'

type Ctx = Pick<AppContext, 'db' | 'env'>

/** The client for one endpoint (by name or as listed), speaking through the egress guard. */
export function endpointClient(ctx: Ctx, endpoint: string | Endpoint): EndpointClient {
  const guard = egressGuard(ctx)
  const e = typeof endpoint === 'string' ? getEndpoint(ctx, endpoint, guard.actor) : endpoint
  const ref = endpointRef(e)
  if (e.kind === 'ollama') return new OllamaEndpointClient(ref, guard, digestLookup(ctx.db, e.id))
  return new OpenAiEndpointClient(ref, guard, ctx.env)
}

/**
 * A model's digest as last listed, read from the database once per client and model (not on every
 * call); a model not listed yet (no digest) is looked up again next time.
 */
function digestLookup(db: Db, endpointId: number): (model: string) => string | null {
  const select = db.prepare('SELECT digest FROM models WHERE endpoint_id = ? AND name = ?')
  const known = new Map<string, string>()
  return (model) => {
    const cached = known.get(model)
    if (cached !== undefined) return cached
    const digest = (select.get(endpointId, model) as { digest: string | null } | undefined)?.digest ?? null
    if (digest !== null) known.set(model, digest)
    return digest
  }
}

/** Splits a model key '<endpoint>/<model>' (model names may themselves contain '/'). */
export function parseModelKey(key: string): { endpoint: string; model: string } {
  const i = key.indexOf('/')
  if (i <= 0 || i === key.length - 1) {
    throw new AppError(
      'invalid_input',
      `model: "${key}" is not a model key; write <endpoint>/<model>, e.g. ollama/llama3.1:8b.`,
    )
  }
  return { endpoint: key.slice(0, i), model: key.slice(i + 1) }
}

/**
 * What the run engine and the jury call: the ChatClient for a model key, the model's name on its
 * server, and its digest as last listed (null if never listed or the server reports none).
 */
export function chatClientFor(
  ctx: Ctx,
  modelKey: string,
): { client: ChatClient; model: string; digest: string | null } {
  const { endpoint, model } = parseModelKey(modelKey)
  const client = endpointClient(ctx, endpoint)
  const row = ctx.db
    .prepare('SELECT digest FROM models WHERE endpoint_id = ? AND name = ?')
    .get(client.endpoint.id, model) as { digest: string | null } | undefined
  return { client, model, digest: row?.digest ?? null }
}
