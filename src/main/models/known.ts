import type { Db } from '../db/open'
import { AppError } from '../errors'
import { displayText } from '../../shared/display-text'

/**
 * Which model keys ('<endpoint>/<model>') a setting may name, so a typo cannot be saved:
 * - `served`: the models the endpoints listed when last asked (table `models`) — judges and the
 *   embedding model must be served to be asked anything;
 * - `evaluated`: those, plus every model a run evaluated and every judge that voted — what a price
 *   can be set for (the leaderboard costs past runs even when an endpoint no longer lists the model).
 */
export type KnownScope = 'served' | 'evaluated'

export function knownModelKeys(db: Db, scope: KnownScope): Set<string> {
  const served = db
    .prepare('SELECT e.name AS endpoint, m.name FROM models m JOIN endpoints e ON e.id = m.endpoint_id')
    .all() as { endpoint: string; name: string }[]
  const keys = new Set(served.map((r) => `${r.endpoint}/${r.name}`))
  if (scope === 'evaluated') {
    const more = db
      .prepare(
        `SELECT model_key AS key FROM run_models
         UNION SELECT DISTINCT judge_key AS key FROM jury_votes`,
      )
      .all() as { key: string }[]
    for (const r of more) keys.add(r.key)
  }
  return keys
}

/** The known key closest to `key` (same endpoint first), for "did you mean" — or null. */
function closest(key: string, known: Set<string>): string | null {
  let best: string | null = null
  let bestDistance = Infinity
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [k, d]
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(key.length / 4)) ? best : null
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    prev = row
  }
  return prev[b.length] as number
}

/**
 * Refuses model keys no endpoint lists (or, for prices, no run used): one message naming the
 * field and each unknown key, with the nearest known key and what to do next.
 */
export function assertKnownModelKeys(
  db: Db,
  field: string,
  keys: readonly string[],
  scope: KnownScope,
): void {
  const known = knownModelKeys(db, scope)
  const unknown = keys.filter((k) => !known.has(k))
  if (unknown.length === 0) return
  const parts = unknown.map((k) => {
    const near = closest(k, known)
    return `"${displayText(k)}"${near ? ` (did you mean "${displayText(near)}"?)` : ''}`
  })
  const where = scope === 'served' ? 'no endpoint lists' : 'no endpoint lists and no run used'
  throw new AppError(
    'invalid_input',
    `${field}: ${where} ${parts.join(', ')}. ${
      known.size === 0
        ? 'No model is known yet: add an endpoint and list its models (Models screen, or `models`).'
        : 'Pick a known model (Models screen lists them with digests; `models` on the command line), or refresh the model list if it was added recently.'
    }`,
    { issues: unknown.map((k) => ({ path: [field], message: `unknown model key "${displayText(k)}"` })) },
  )
}
