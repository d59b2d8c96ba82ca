import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** How far V8's old generation may grow over what is live before its next full collection (%). */
export const HEAP_GROWING_PERCENT = 30

let bounded = false

/**
 * Keeps the memory of a long dispatch at its working set, whatever its number of items.
 *
 * A model call leaves short-lived garbage, and some of it outlives two young-generation
 * collections (an exchange in flight when one runs, objects V8 keeps through them): it is promoted
 * to the old generation, which is collected only when it reaches its limit. On a machine with a
 * large heap limit V8 sets that limit at up to 4× what was live after the last full collection,
 * so a run's heap climbed from ~20 MB live to ~90 MB of old generation within seconds and stayed
 * there: a 100,000-item run peaked ~70 MB above a 1,000-item run, though what it holds live is the
 * same (items are streamed; bench/run-throughput.ts --rss).
 *
 * Here the growth is bounded at 30% (V8 reads the setting whenever it sets a new limit), and one
 * full collection is made now so that the bounded limit applies from this dispatch on rather than
 * after the limit set at start-up is reached. Full collections then come sooner and each is short
 * (a few ms for ~20 MB live). Process-wide and done once, by the first dispatch (app, CLI, tests).
 */
export function boundHeapGrowth(): void {
  if (bounded) return
  bounded = true
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
  fullCollection()
}

/**
 * V8's full collection. Node exposes it only under --expose-gc; set now, the flag gives it to a new
 * context. Where a runtime does not (it is only an optimisation), the bound applies after the
 * next full collection instead.
 */
function fullCollection(): void {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('typeof gc === "function" ? gc : null') as (() => void) | null
  gc?.()
}
