import type { AppContext } from '../app/context'
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
  if (e.kind === 'ollama') {
    const digest = ctx.db.prepare('SELECT digest FROM models WHERE endpoint_id = ? AND name = ?')
    return new OllamaEndpointClient(
      ref,
      guard,
      (model) => (digest.get(e.id, model) as { digest: string | null } | undefined)?.digest ?? null,
    )
  }
  return new OpenAiEndpointClient(ref, guard, ctx.env)
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
