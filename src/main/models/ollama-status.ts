import type { OllamaStatus } from '../../shared/api/app'
import type { AppContext } from '../app/context'
import { endpointClient } from './clients'
import { DEFAULT_ENDPOINT_NAME } from './endpoints'
import { ollamaBaseUrl } from './ollama-host'

/**
 * Does the default Ollama server answer? Asks `/api/version` with a short time limit, through the
 * egress guard (audited as a status check; refused like anything else if OLLAMA_HOST points at a
 * host that is neither loopback nor approved).
 */
export async function checkOllamaStatus(ctx: AppContext, timeoutMs = 2000): Promise<OllamaStatus> {
  const checkedAt = new Date().toISOString()
  let url: string
  try {
    url = ollamaBaseUrl(ctx.env)
  } catch (e) {
    return {
      url: String(ctx.env.OLLAMA_HOST ?? ''),
      reachable: false,
      version: null,
      error: (e as Error).message,
      checkedAt,
    }
  }
  const status = await endpointClient(ctx, DEFAULT_ENDPOINT_NAME).status({ timeoutMs })
  return {
    url,
    reachable: status.reachable,
    version: status.version,
    error: status.error,
    checkedAt: status.checkedAt,
  }
}
