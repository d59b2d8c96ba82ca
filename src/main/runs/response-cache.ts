import type { Db } from '../db/open'
import { runRow, runSettings } from './store'

/**
 * The response cache: a model's answer to an exact prompt under exact settings, keyed by
 * `cacheKey` (sha256 of the model's digest, the prompt and the generation settings), reused by
 * any later run that would send the same request to the same model.
 *
 * Reads happen before anything is sent, a page of items at a time (the run client looks up the keys
 * of each page it reads in one query). Writes do not happen per item: the key is recorded with each
 * request (requests.cache_key), and a run's answered requests are entered into the cache when its
 * execution ends (completed, paused, cancelled or failed) and again when it is resumed — in one
 * statement, in key order. Entering each answer as it arrives meant one insert at a random place
 * of the key index per item: a page of the index rewritten in the write-ahead log per answer,
 * and copied back at each checkpoint (bench/run-throughput.ts: ≈0.02 ms of the main thread per
 * item, 3 % of a run's throughput). In key order, each page is written once.
 *
 * What this changes: an answer is reused by later runs, not by another item of the run that
 * produced it (two items of one run with the same prompt for the same model both ask), and the
 * answers of a process killed mid-run enter the cache when the run is resumed.
 */

export interface CachedAnswer {
  id: number
  text: string
}

/** The cached answers to many keys in one query (a page of items): key → answer, hits only. */
export function cacheReaderMany(db: Db): (keys: readonly string[]) => Map<string, CachedAnswer> {
  const hits = db.prepare(
    `SELECT c.cache_key AS key, r.id, r.text FROM json_each(?) k
     JOIN response_cache c ON c.cache_key = k.value JOIN responses r ON r.id = c.response_id`,
  )
  return (keys) => {
    const rows = hits.all(JSON.stringify(keys)) as (CachedAnswer & { key: string })[]
    return new Map(rows.map((r) => [r.key, { id: r.id, text: r.text }]))
  }
}

/**
 * Enters the run's answered requests into the cache (those of models with a verified digest, in
 * runs with the cache on; an answer already cached stays as it is). Returns how many were added.
 * Call inside the transaction that records the run's state.
 */
export function fillResponseCache(db: Db, runId: number): number {
  if (!runSettings(runRow(db, runId)).useCache) return 0
  return db
    .prepare(
      `INSERT OR IGNORE INTO response_cache (cache_key, response_id, created_at)
       SELECT q.cache_key, r.id, r.finished_at
       FROM run_items ri
       JOIN requests q ON q.run_item_id = ri.id AND q.purpose = 'run'
       JOIN responses r ON r.request_id = q.id
       WHERE ri.run_id = ? AND ri.status = 'done' AND ri.response_id = r.id AND q.model_digest IS NOT NULL
       ORDER BY q.cache_key`,
    )
    .run(runId).changes
}
