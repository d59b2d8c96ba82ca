export const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434'

/**
 * The default Ollama endpoint's base URL, honouring OLLAMA_HOST as Ollama itself reads it:
 * "host", "host:port", "scheme://host[:port]"; a bind-all address (0.0.0.0, ::) means this machine.
 */
export function ollamaBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.OLLAMA_HOST?.trim()
  if (!raw) return DEFAULT_OLLAMA_URL
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`
  let u: URL
  try {
    u = new URL(withScheme)
  } catch {
    throw new Error(`OLLAMA_HOST is not a valid host or URL: ${raw}`)
  }
  if (u.hostname === '0.0.0.0') u.hostname = '127.0.0.1'
  if (u.hostname === '[::]') u.hostname = '[::1]'
  if (!u.port) u.port = u.protocol === 'https:' ? '443' : '11434'
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`
}
