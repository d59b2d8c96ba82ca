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

/** Maps whatever a client library or the guard threw to a ModelError. */
export function toModelError(e: unknown, endpoint: string, model?: string): ModelError {
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
  if (e instanceof SyntaxError)
    return new ModelError('protocol', endpoint, `malformed JSON in the answer: ${e.message}`, { cause: e })
  const status = (e as { status_code?: unknown } | null)?.status_code
  if (typeof status === 'number') {
    const text = e instanceof Error ? e.message : String(e)
    if (status === 404 && model && /not found/i.test(text)) {
      return new ModelError(
        'model_not_found',
        endpoint,
        `model "${model}" is not on this server (${text.slice(0, 200)})`,
        { status, cause: e },
      )
    }
    return new ModelError('http', endpoint, `HTTP ${status}: ${text.slice(0, 300)}`, { status, cause: e })
  }
  const message = e instanceof Error ? e.message : String(e)
  if (/did not receive done|missing body|unexpected end/i.test(message)) {
    return new ModelError('protocol', endpoint, `incomplete answer: ${message}`, { cause: e })
  }
  return new ModelError('protocol', endpoint, message, { cause: e })
}

/** A failed reachability check; an approved name now resolving elsewhere carries the change to offer. */
export function unreachable(err: ModelError, checkedAt: string): Reachability {
  const cause = err.cause
  return {
    reachable: false,
    version: null,
    error: err.message,
    errorKind: err.kind,
    addressChange: cause instanceof EgressRefusedError ? cause.addressChange : null,
    checkedAt,
  }
}
