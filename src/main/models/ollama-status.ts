import type { OllamaStatus } from '../../shared/api/app'
import type { AppContext } from '../app/context'
import { ollamaBaseUrl } from './ollama-host'

/** Does the default Ollama server answer? Asks `/api/version` with a short time limit. */
export async function checkOllamaStatus(ctx: AppContext, timeoutMs = 2000): Promise<OllamaStatus> {
  const url = ollamaBaseUrl(ctx.env)
  const checkedAt = new Date().toISOString()
  try {
    const res = await fetch(`${url}/api/version`, { signal: AbortSignal.timeout(timeoutMs) })
    if (!res.ok) return { url, reachable: false, version: null, error: `HTTP ${res.status}`, checkedAt }
    const body = (await res.json()) as { version?: unknown }
    return { url, reachable: true, version: typeof body.version === 'string' ? body.version : null, error: null, checkedAt }
  } catch (e) {
    return { url, reachable: false, version: null, error: e instanceof Error ? e.message : String(e), checkedAt }
  }
}
