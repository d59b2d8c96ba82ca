/**
 * Where idle workers wait: until something changes (a request ended, an endpoint went down, the
 * dispatcher stopped) or until a time (a retry's backoff ends). One timer for all of them.
 */
export class Wakeup {
  private wake: (() => void) | null = null
  private timer: NodeJS.Timeout | null = null
  private timerAt = Infinity

  notify(): void {
    const w = this.wake
    this.wake = null
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.timerAt = Infinity
    w?.()
  }

  wait(untilMs: number | null): Promise<void> {
    return new Promise((resolve) => {
      const prev = this.wake
      this.wake = () => {
        prev?.()
        resolve()
      }
      if (untilMs !== null && untilMs < this.timerAt) {
        if (this.timer) clearTimeout(this.timer)
        this.timerAt = untilMs
        this.timer = setTimeout(() => this.notify(), Math.max(0, untilMs - Date.now()))
      }
    })
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
