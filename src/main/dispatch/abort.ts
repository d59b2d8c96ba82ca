import { setMaxListeners } from 'node:events'

/**
 * A signal aborted when any of `sources` aborts, to be released when the request ends. Unlike
 * `AbortSignal.any`, it leaves nothing behind on long-lived sources: Node 20's `AbortSignal.any`
 * keeps every signal it made among its sources' dependants (nodejs/node#55351), which grows by one
 * entry per request over a whole run.
 */
export function linkedAbort(sources: AbortSignal[]): { signal: AbortSignal; release: () => void } {
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
  return {
    signal: controller.signal,
    release: () => {
      for (const s of sources) s.removeEventListener('abort', onAbort)
    },
  }
}
