import { setMaxListeners } from 'node:events'

/** A request's own abort signal and what frees it when the request ends. */
export interface LinkedAbort {
  signal: AbortSignal
  /** Detaches from the sources and stops the time limit (idempotent). Call when the request ends. */
  release: () => void
}

/**
 * A signal aborted when any of `sources` aborts or, with `timeoutMs`, when that much time has
 * passed (reason: a DOMException named 'TimeoutError', as `AbortSignal.timeout` gives) — to be
 * released when the request ends. Unlike `AbortSignal.any` and `AbortSignal.timeout`, it leaves
 * nothing behind once released: Node 20's `AbortSignal.any` keeps every signal it made among its
 * sources' dependants (nodejs/node#55351), and each `AbortSignal.timeout` keeps a timer (and its
 * weak reference and finalizer) until the signal is garbage-collected and finalized — with the
 * endpoints' 10-minute limit, tens of thousands of them over a run, all promoted to the old
 * generation (the run's peak memory grew with its number of items).
 */
export function linkedAbort(sources: AbortSignal[], timeoutMs?: number): LinkedAbort {
  const controller = new AbortController()
  const aborted = sources.find((s) => s.aborted)
  if (aborted) {
    controller.abort(aborted.reason)
    return { signal: controller.signal, release: () => {} }
  }
  const onAbort = (e: Event) => controller.abort((e.target as AbortSignal).reason)
  for (const s of sources) {
    // One listener per request in flight (bounded by the concurrency, removed by `release`): more
    // than Node's default of 10 is expected, not a leak, so the warning threshold is lifted.
    setMaxListeners(0, s)
    s.addEventListener('abort', onAbort, { once: true })
  }
  let timer: NodeJS.Timeout | undefined
  if (timeoutMs !== undefined && timeoutMs > 0) {
    timer = setTimeout(
      () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      timeoutMs,
    )
    // Like AbortSignal.timeout: a pending time limit does not keep the process alive.
    timer.unref()
  }
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer)
      timer = undefined
      for (const s of sources) s.removeEventListener('abort', onAbort)
    },
  }
}
