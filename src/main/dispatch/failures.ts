import type { ModelError } from '../models/errors'

/**
 * What a failed request is counted as in a run's report ('HTTP 500', 'timeout', …), or null when
 * nothing was sent (the egress policy refused it, or the run was paused or cancelled).
 */
export function failureKind(err: ModelError): string | null {
  switch (err.kind) {
    case 'http':
      return err.status === null ? 'HTTP error' : `HTTP ${err.status}`
    case 'timeout':
      return 'timeout'
    case 'unreachable':
      return 'connection failed'
    case 'protocol':
      return 'broken answer'
    case 'model_not_found':
      return 'model not found'
    case 'refused':
    case 'aborted':
      return null
  }
}

const OUT_OF_MEMORY =
  /requires more system memory|out of memory|not enough memory|insufficient memory|unable to allocate|cudaMalloc failed/i

/**
 * A failure of this model on this endpoint that other models it serves do not share: the model is
 * missing, or it does not fit in the endpoint's memory. The endpoint is taken out for that model only.
 */
export function modelSpecific(err: ModelError): boolean {
  if (err.kind === 'model_not_found') return true
  return err.kind === 'http' && err.status !== null && err.status >= 500 && OUT_OF_MEMORY.test(err.message)
}
