/**
 * The SQL of a model call's durable result, shared by every dispatcher client that records one
 * (a run's requests, a jury's judge requests): the request, its response, a metric row.
 */

export function insertRequestSql(purpose: 'run' | 'judge'): string {
  return `INSERT INTO requests (run_item_id, endpoint_id, model_name, model_digest, prompt, settings_json, cache_key, purpose, started_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, '${purpose}', ?)`
}

export const INSERT_RESPONSE_SQL =
  'INSERT INTO responses (request_id, text, prompt_tokens, completion_tokens, latency_ms, finished_at) VALUES (?, ?, ?, ?, ?, ?)'

export const UPSERT_SCORE_SQL = `INSERT INTO scores (run_item_id, metric, value, status, details_json, created_at) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT(run_item_id, metric) DO UPDATE SET value = excluded.value, status = excluded.status,
    details_json = excluded.details_json, created_at = excluded.created_at`
