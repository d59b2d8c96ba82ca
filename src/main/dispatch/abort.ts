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
  for (const s of sources) s.addEventListener('abort', onAbort, { once: true })
  return {
    signal: controller.signal,
    release: () => {
      for (const s of sources) s.removeEventListener('abort', onAbort)
    },
  }
}
