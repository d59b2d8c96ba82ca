import type { ModelPrice, SetPriceInput } from '../../shared/api/leaderboard'
import type { Db } from '../db/open'
import { assertKnownModelKeys } from '../models/known'
import type { Price } from './cost'

/** Prices per 1M tokens per model key (table model_prices, migration 0005). */

interface PriceRow {
  model_key: string
  input_per_mtok: number
  output_per_mtok: number
  updated_at: string
}

const toPrice = (r: PriceRow): ModelPrice => ({
  modelKey: r.model_key,
  inputPerMTok: r.input_per_mtok,
  outputPerMTok: r.output_per_mtok,
  updatedAt: r.updated_at,
})

export function listPrices(db: Db): ModelPrice[] {
  return (db.prepare('SELECT * FROM model_prices ORDER BY model_key').all() as PriceRow[]).map(toPrice)
}

export function priceMap(db: Db): Map<string, Price> {
  return new Map(listPrices(db).map((p) => [p.modelKey, p]))
}

/** Sets a model's price; the key must be a model an endpoint lists or a run used (no typo is saved). */
export function setPrice(db: Db, input: Required<SetPriceInput>, now = new Date().toISOString()): ModelPrice {
  // One transaction: the write comes first, so a read-only database refuses as for any write; an
  // unknown key then undoes it.
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO model_prices (model_key, input_per_mtok, output_per_mtok, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(model_key) DO UPDATE SET input_per_mtok = excluded.input_per_mtok,
         output_per_mtok = excluded.output_per_mtok, updated_at = excluded.updated_at`,
    ).run(input.modelKey, input.inputPerMTok, input.outputPerMTok, now)
    assertKnownModelKeys(db, 'model key', [input.modelKey], 'evaluated')
    return toPrice(
      db.prepare('SELECT * FROM model_prices WHERE model_key = ?').get(input.modelKey) as PriceRow,
    )
  })()
}

export function removePrice(db: Db, modelKey: string): boolean {
  return db.prepare('DELETE FROM model_prices WHERE model_key = ?').run(modelKey).changes > 0
}
