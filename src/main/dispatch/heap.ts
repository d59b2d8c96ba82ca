import { setFlagsFromString } from 'node:v8'

/** How far V8's old generation may grow over what is live before its next full collection (%). */
export const HEAP_GROWING_PERCENT = 30

let bounded = false

/**
 * Keeps the memory of a long dispatch at its working set, whatever its number of items.
 *
 * A model call leaves short-lived garbage, and some of it outlives two young-generation
 * collections (an in-flight exchange when one runs, objects V8 keeps through them — AbortSignals,
 * web streams): it is promoted to the old generation, which is collected only when it reaches its
 * limit. On a machine with a large heap limit V8 sets that limit at up to 4× what was live after
 * the last full collection, so a run's heap climbs from ~20 MB live to ~90 MB of old generation
 * within seconds and stays there: a 100,000-item run peaked ~70 MB above a 1,000-item run, though
 * what it holds live is the same (items are streamed; bench/run-throughput.ts --rss). With the
 * growth bounded at 30%, full collections come sooner and each is short (a few ms for ~20 MB
 * live), so the peak stays near the working set.
 *
 * Process-wide and idempotent: V8 reads the setting at each full collection, so it applies from
 * the first dispatch on, in the app, the CLI and the tests alike.
 */
export function boundHeapGrowth(): void {
  if (bounded) return
  bounded = true
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
}
