import { Ollama } from 'ollama'
import { z } from 'zod'
import type { EgressPurpose } from '../../../shared/api/models'
import type { AppContext } from '../../app/context'
import { egressGuard } from '../../egress'
import { AppError } from '../../errors'
import { endpointClient, parseModelKey } from '../../models/clients'
import { ModelError, toModelError } from '../../models/errors'
import type { EndpointRef } from '../../models/types'

/**
 * Embeddings from an Ollama embedding model (POST /api/embed), for the BERTScore-style
 * similarity. The request goes through the egress guard like every model call (the official
 * `ollama` client with the guard as its fetch), so it is checked against the policy and audited.
 */

type Ctx = Pick<AppContext, 'db' | 'env'>

const EmbedReply = z.object({ embeddings: z.array(z.array(z.number())) })

export interface EmbeddingModel {
  key: string
  model: string
  endpoint: EndpointRef
  digest: string | null
}

/** Resolves an embedding model key; only Ollama endpoints serve /api/embed. */
export function embeddingModel(ctx: Ctx, key: string): EmbeddingModel {
  const { endpoint, model } = parseModelKey(key)
  const client = endpointClient(ctx, endpoint)
  if (client.endpoint.kind !== 'ollama')
    throw new AppError(
      'invalid_input',
      `embedding model: "${key}" is on endpoint "${endpoint}" of kind ${client.endpoint.kind}; the similarity metric needs an Ollama endpoint (/api/embed)`,
    )
  const row = ctx.db
    .prepare('SELECT digest FROM models WHERE endpoint_id = ? AND name = ?')
    .get(client.endpoint.id, model) as { digest: string | null } | undefined
  return { key, model, endpoint: client.endpoint, digest: row?.digest ?? null }
}

/** One vector per text, in order. Throws ModelError (kind says whether trying again may help). */
export async function embedTexts(
  ctx: Ctx,
  m: EmbeddingModel,
  texts: readonly string[],
  options: { purpose: EgressPurpose; signal?: AbortSignal; timeoutMs?: number },
): Promise<number[][]> {
  const ollama = new Ollama({
    host: m.endpoint.baseUrl,
    fetch: egressGuard(ctx).fetchFor({
      purpose: options.purpose,
      endpointId: m.endpoint.id,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? m.endpoint.timeoutMs,
    }),
  })
  let raw: unknown
  try {
    raw = await ollama.embed({ model: m.model, input: [...texts] })
  } catch (e) {
    throw toModelError(e, m.endpoint.name, m.model, texts.join('\n'))
  }
  const parsed = EmbedReply.safeParse(raw)
  if (!parsed.success)
    throw new ModelError(
      'protocol',
      m.endpoint.name,
      `unexpected /api/embed answer: ${parsed.error.issues[0]?.message ?? ''}`,
    )
  if (parsed.data.embeddings.length !== texts.length)
    throw new ModelError(
      'protocol',
      m.endpoint.name,
      `/api/embed returned ${parsed.data.embeddings.length} vectors for ${texts.length} texts`,
    )
  return parsed.data.embeddings
}
