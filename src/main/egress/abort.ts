import { setMaxListeners } from 'node:events'

/**
 * Per-request cancellation over long-lived signals, leaving nothing behind once the request ends.
 *
 * Why not `AbortSignal.any` / `AbortSignal.timeout` / a new AbortController per request: Node 20's
 * `AbortSignal.any` keeps every signal it made among its sources' dependants (nodejs/node#55351);
 * each `AbortSignal.timeout` keeps a timer (with a weak reference and a finalizer) until the signal
 * is garbage-collected; and every AbortSignal Node 20 creates survives the young-generation
 * collections, so one per request — with what its listeners reference — is promoted to the old
 * generation: over a long run the heap climbs until the next full collection (a 100,000-item
 * run's peak memory was ~70 MB above a 1,000-item run's). A watch is a plain object: listeners on
 * the sources and one timer, both removed by `release`.
 */
export interface AbortWatch {
  readonly aborted: boolean
  /** Why: the source's reason, or a DOMException named 'TimeoutError' when the time limit passed. */
  readonly reason: unknown
  /** Throws the reason if aborted. */
  throwIfAborted(): void
  /** What to do when it aborts (the latest one set is called, once); at once if already aborted. */
  onAbort(action: (reason: unknown) => void): void
  /** Detaches from the sources and stops the time limit (idempotent). Call when the request ends. */
  release(): void
}

/** The reason of a passed time limit, as `AbortSignal.timeout` gives it. */
function timeoutReason(): DOMException {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError')
}

class Watch implements AbortWatch {
  aborted = false
  reason: unknown = undefined
  private action: ((reason: unknown) => void) | null = null
  private timer: NodeJS.Timeout | undefined
  private readonly onSource = (e: Event) => this.abort((e.target as AbortSignal).reason)

  constructor(
    private readonly sources: AbortSignal[],
    timeoutMs: number | undefined,
  ) {
    const already = sources.find((s) => s.aborted)
    if (already) {
      this.abort(already.reason)
      return
    }
    for (const s of sources) {
      // One listener per request in flight (bounded by the concurrency, removed by `release`): more
      // than Node's default of 10 is expected, not a leak, so the warning threshold is lifted.
      setMaxListeners(0, s)
      s.addEventListener('abort', this.onSource, { once: true })
    }
    if (timeoutMs !== undefined && timeoutMs > 0) {
      this.timer = setTimeout(() => this.abort(timeoutReason()), timeoutMs)
      // Like AbortSignal.timeout: a pending time limit does not keep the process alive.
      this.timer.unref()
    }
  }

  private abort(reason: unknown): void {
    if (this.aborted) return
    this.aborted = true
    this.reason = reason
    this.release()
    const action = this.action
    this.action = null
    action?.(reason)
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason
  }

  onAbort(action: (reason: unknown) => void): void {
    if (this.aborted) action(this.reason)
    else this.action = action
  }

  release(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    for (const s of this.sources) s.removeEventListener('abort', this.onSource)
  }
}

/** Aborted when any of `sources` aborts or, with `timeoutMs`, when that much time has passed. */
export function watchAbort(sources: AbortSignal[], timeoutMs?: number): AbortWatch {
  return new Watch(sources, timeoutMs)
}
