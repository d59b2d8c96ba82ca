/**
 * At most `limit` tasks at a time per key (one key per endpoint): the judges and the embedding
 * model of a scoring pass share each endpoint's own concurrency setting.
 */
export class KeyedLimiter {
  private readonly active = new Map<string, number>()
  private readonly waiting = new Map<string, (() => void)[]>()

  constructor(private readonly limitOf: (key: string) => number) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    await this.acquire(key)
    try {
      return await task()
    } finally {
      this.release(key)
    }
  }

  private acquire(key: string): Promise<void> {
    const n = this.active.get(key) ?? 0
    if (n < Math.max(1, this.limitOf(key))) {
      this.active.set(key, n + 1)
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      const q = this.waiting.get(key) ?? []
      q.push(resolve)
      this.waiting.set(key, q)
    })
  }

  private release(key: string): void {
    const next = this.waiting.get(key)?.shift()
    if (next)
      next() // the slot passes straight to the next waiter
    else this.active.set(key, (this.active.get(key) ?? 1) - 1)
  }
}
