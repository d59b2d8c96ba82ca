import type { Db } from '../db/open'

/**
 * A model's family, for spotting a judge that scores answers of its own kind (self-preference).
 * From Ollama's model details (`details.family` of /api/tags and /api/show, stored by the model
 * listing), else derived from the model name. Both are reduced to the lineage — the leading
 * letters, lower-case — so Ollama's "qwen2" and "qwen3", and names like "Qwen2.5-7B-Instruct",
 * "llama3.1:8b" or "meta-llama/Llama-3.3-70B", compare as "qwen" and "llama".
 */

export interface ModelFamily {
  family: string
  source: 'ollama' | 'name'
}

/** The lineage of a family or model name: its last path segment's leading letters, lower-case. */
export function familyLineage(name: string): string {
  const segment = (name.split('/').pop() ?? name).split(':')[0] ?? ''
  const letters = /^[a-z]+/.exec(segment.trim().toLowerCase())
  return letters ? letters[0] : segment.trim().toLowerCase()
}

/** Splits '<endpoint>/<model>' (the model name may itself contain '/'). */
function splitKey(modelKey: string): { endpoint: string; model: string } {
  const slash = modelKey.indexOf('/')
  return slash === -1
    ? { endpoint: '', model: modelKey }
    : { endpoint: modelKey.slice(0, slash), model: modelKey.slice(slash + 1) }
}

/** The family of a model key: Ollama's stored details first, the name otherwise. */
export function modelFamily(db: Db, modelKey: string): ModelFamily {
  const { endpoint, model } = splitKey(modelKey)
  const names = model.includes(':') ? [model] : [model, `${model}:latest`]
  const stored = db.prepare(
    `SELECT m.family FROM models m JOIN endpoints e ON e.id = m.endpoint_id
     WHERE e.name = ? AND m.name = ? AND m.family IS NOT NULL AND trim(m.family) <> ''`,
  )
  for (const name of names) {
    const row = stored.get(endpoint, name) as { family: string } | undefined
    if (row) return { family: familyLineage(row.family), source: 'ollama' }
  }
  return { family: familyLineage(model), source: 'name' }
}

/** Families of several keys, each looked up once. */
export function modelFamilies(db: Db, keys: Iterable<string>): Map<string, ModelFamily> {
  const out = new Map<string, ModelFamily>()
  for (const k of keys) if (!out.has(k)) out.set(k, modelFamily(db, k))
  return out
}
