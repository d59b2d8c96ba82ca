/**
 * 0005 — prices per model key for the leaderboard's cost (local models have no list price: the
 * hospital records e.g. its internal GPU charge-back). USD per 1M input and per 1M output tokens.
 * A model key without a row has no price: its cost is shown as unknown, never as 0.
 */
export const sql = /* sql */ `
CREATE TABLE model_prices (
  model_key      TEXT PRIMARY KEY CHECK (length(model_key) BETWEEN 3 AND 300),
  input_per_mtok  REAL NOT NULL CHECK (input_per_mtok >= 0),
  output_per_mtok REAL NOT NULL CHECK (output_per_mtok >= 0),
  updated_at     TEXT NOT NULL
);
`
