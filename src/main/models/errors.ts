import type { Reachability } from '../../shared/api/models'
import type { ErrorCode } from '../../shared/api/envelope'
import { EgressConnectionError, EgressRefusedError } from '../egress/errors'
import { AppError } from '../errors'

/**
 * Why a model call failed:
 * - refused: the egress policy blocked the destination (nothing was sent)
 * - unreachable: no connection, or the connection broke (refused, reset, dropped mid-answer)
 * - timeout: the endpoint's time limit passed
 * - aborted: the caller cancelled
 * - http: the server answered with an error status (see `status`)
 * - model_not_found: the server does not have that model
 * - protocol: the answer was not what the API promises (malformed JSON, missing fields, cut stream)
 */
export type ModelErrorKind =
  'refused' | 'unreachable' | 'timeout' | 'aborted' | 'http' | 'model_not_found' | 'protocol'

const CODES: Record<ModelErrorKind, ErrorCode> = {
  refused: 'egress_refused',
  unreachable: 'unavailable',
  timeout: 'unavailable',
  aborted: 'unavailable',
  http: 'unavailable',
  model_not_found: 'not_found',
  protocol: 'unavailable',
}

/** Every failure of a ChatClient or EndpointClient is one of these. */
export class ModelError extends AppError {
  readonly kind: ModelErrorKind
  readonly endpoint: string
  /** HTTP status when the server answered with one. */
  readonly status: number | null
  /** Worth trying again later (connection trouble, timeouts, 5xx, 429, broken answers). */
  readonly retryable: boolean
  /** The message without the endpoint's name (for places that show the name beside it). */
  readonly detail: string

  constructor(
    kind: ModelErrorKind,
    endpoint: string,
    message: string,
    options: { status?: number | null; cause?: unknown } = {},
  ) {
    super(
      CODES[kind],
      `${endpoint}: ${message}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    )
    this.name = 'ModelError'
    this.detail = message
    this.kind = kind
    this.endpoint = endpoint
    this.status = options.status ?? null
    const s = this.status
    this.retryable =
      kind === 'unreachable' ||
      kind === 'timeout' ||
      kind === 'protocol' ||
      (kind === 'http' && s !== null && (s >= 500 || s === 429))
  }
}

/** At most this much of an error body from a model server is kept (after removing the prompt). */
export const SERVER_ERROR_MAX_CHARS = 500
/** Any stretch of a server's error text this long that also occurs in the prompt is removed. */
export const PROMPT_ECHO_MIN_CHARS = 20
const REMOVED = '[…]'

/**
 * `text` without any part of `prompt`: every substring of PROMPT_ECHO_MIN_CHARS or more characters
 * that also occurs in the prompt is replaced by "[…]". (Any such common substring contains a common
 * window of exactly that length, so marking every common window removes exactly their union.)
 */
export function withoutPrompt(text: string, prompt: string, min: number = PROMPT_ECHO_MIN_CHARS): string {
  if (prompt.length < min || text.length < min) return text
  const windows = new Set<string>()
  for (let i = 0; i + min <= prompt.length; i++) windows.add(prompt.slice(i, i + min))
  const removed = new Uint8Array(text.length)
  for (let i = 0; i + min <= text.length; i++)
    if (windows.has(text.slice(i, i + min))) removed.fill(1, i, i + min)
  let out = ''
  for (let i = 0; i < text.length; i++) {
    if (!removed[i]) out += text[i]
    else if (i === 0 || !removed[i - 1]) out += REMOVED
  }
  return out
}

/** What is kept of an error body (or any text) a model server sent back: no prompt, ≤ 500 characters. */
export function serverErrorText(body: string, prompt: string): string {
  const kept = withoutPrompt(body.slice(0, 64 * 1024), prompt)
  return kept.length > SERVER_ERROR_MAX_CHARS ? `${kept.slice(0, SERVER_ERROR_MAX_CHARS - 1)}…` : kept
}

/**
 * Maps whatever a client library or the guard threw to a ModelError. `prompt`: the text sent (the
 * messages' contents); whatever the server said back is kept without it (serverErrorText).
 */
export function toModelError(e: unknown, endpoint: string, model?: string, prompt: string = ''): ModelError {
  if (e instanceof ModelError) return e
  if (e instanceof EgressRefusedError) return new ModelError('refused', endpoint, e.message, { cause: e })
  if (e instanceof EgressConnectionError) {
    return new ModelError('unreachable', endpoint, `connection failed (${e.code}): ${e.message}`, {
      cause: e,
    })
  }
  const name = (e as { name?: unknown } | null)?.name
  if (name === 'TimeoutError')
    return new ModelError('timeout', endpoint, 'no complete answer within the time limit', { cause: e })
  if (name === 'AbortError') return new ModelError('aborted', endpoint, 'cancelled', { cause: e })
  // JSON.parse messages quote the text they failed on: never kept.
  if (e instanceof SyntaxError)
    return new ModelError('protocol', endpoint, 'malformed JSON in the answer', { cause: e })
  const status = (e as { status_code?: unknown } | null)?.status_code
  const text = serverErrorText(e instanceof Error ? e.message : String(e), prompt)
  if (typeof status === 'number') {
    if (status === 404 && model && /not found/i.test(text)) {
      return new ModelError('model_not_found', endpoint, `model "${model}" is not on this server (${text})`, {
        status,
        cause: e,
      })
    }
    return new ModelError('http', endpoint, `HTTP ${status}: ${text}`, { status, cause: e })
  }
  if (/did not receive done|missing body|unexpected end/i.test(text)) {
    return new ModelError('protocol', endpoint, `incomplete answer: ${text}`, { cause: e })
  }
  return new ModelError('protocol', endpoint, text, { cause: e })
}

/** The text of a chat request that a server's error must not echo back into our records. */
export function promptText(request: { messages: readonly { content: string }[] }): string {
  return request.messages.map((m) => m.content).join('\n')
}

/** A failed reachability check; an approved name now resolving elsewhere carries the change to offer. */
export function unreachable(err: ModelError, checkedAt: string): Reachability {
  const cause = err.cause
  return {
    reachable: false,
    version: null,
    // Shown beside the endpoint's name: without it (not "hosp: hosp: …").
    error: err.detail,
    errorKind: err.kind,
    addressChange: cause instanceof EgressRefusedError ? cause.addressChange : null,
    checkedAt,
  }
}
