/**
 * Throughput over the last ten seconds (items per second) and the time left at that rate: what
 * every dispatcher client reports with its progress.
 */
export class RateMeter {
  private readonly samples: { t: number; finished: number }[] = []

  /** Records `finished` now and returns the recent rate (0 until 0.2 s have passed). */
  rate(finished: number, now = Date.now()): number {
    this.samples.push({ t: now, finished })
    while (this.samples.length > 2 && now - this.samples[0]!.t > 10_000) this.samples.shift()
    const first = this.samples[0]!
    const dt = (now - first.t) / 1000
    return dt > 0.2 ? (finished - first.finished) / dt : 0
  }
}

/** Seconds left for `pending` items at `rate` per second: 0 when done, null when unknown. */
export function etaSeconds(pending: number, rate: number): number | null {
  return pending === 0 ? 0 : rate > 0 ? pending / rate : null
}

/** Calls `emit` at most once per `everyMs` (and always when `force`). */
export function throttled(everyMs: number, emit: () => void): (force?: boolean) => void {
  let last = 0
  return (force = false) => {
    const now = Date.now()
    if (!force && now - last < everyMs) return
    last = now
    emit()
  }
}
