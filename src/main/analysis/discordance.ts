import type { Db } from '../db/open'

/**
 * The share of discordant instances (one model right, the other wrong) over every pair of models
 * scored 0/1 on the same instance in this database: McNemar's ψ for planning the next run from
 * what earlier runs showed. `pairs` says how much it rests on.
 */
export function discordanceFromRuns(db: Db): { discordance: number | null; pairs: number } {
  const row = db
    .prepare(
      `SELECT COUNT(*) AS pairs, AVG(CASE WHEN a.value <> b.value THEN 1.0 ELSE 0.0 END) AS share
       FROM scores a JOIN run_items ra ON ra.id = a.run_item_id
            JOIN run_items rb ON rb.instance_id = ra.instance_id AND rb.model_key > ra.model_key
            JOIN scores b ON b.run_item_id = rb.id AND b.metric = a.metric
       WHERE a.status = 'ok' AND b.status = 'ok' AND a.value IN (0, 1) AND b.value IN (0, 1)`,
    )
    .get() as { pairs: number; share: number | null }
  return { discordance: row.pairs > 0 ? row.share : null, pairs: row.pairs }
}
