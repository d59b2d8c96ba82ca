import { createHash } from 'node:crypto'

/** The prev_hash of the first row of the audit log. */
export const GENESIS_HASH = '0'.repeat(64)

/** Domain separation: a hash of this format can never be confused with any other sha256 in the app. */
const HASH_PREFIX = 'wardeval-audit-v1\n'

/** One stored row of `audit_log`, exactly as SQLite holds it. */
export interface AuditRow {
  seq: number
  ts: string
  kind: 'request' | 'refusal' | 'approval' | 'policy'
  actor: string
  endpoint_id: number | null
  host: string
  port: number | null
  address: string
  purpose_json: string
  bytes_sent: number
  bytes_received: number
  body_sha256: string
  outcome: string
  detail: string
  prev_hash: string
  hash: string
}

/** The columns covered by a row's hash, in canonical order (everything but the hash itself). */
export const HASHED_COLUMNS = [
  'seq',
  'ts',
  'kind',
  'actor',
  'endpoint_id',
  'host',
  'port',
  'address',
  'purpose_json',
  'bytes_sent',
  'bytes_received',
  'body_sha256',
  'outcome',
  'detail',
  'prev_hash',
] as const satisfies readonly (keyof AuditRow)[]

/**
 * Canonical serialization of a row: a JSON array of the hashed columns in fixed order. Values are
 * strings, integers or null only, so JSON.stringify is deterministic. The sequence number is
 * included, so moving a row to another position breaks its hash; prev_hash is included, so
 * deleting or inserting a row breaks the link of the row after it.
 */
export function canonicalRow(row: Omit<AuditRow, 'hash'>): string {
  return JSON.stringify(HASHED_COLUMNS.map((c) => row[c] ?? null))
}

export function rowHash(row: Omit<AuditRow, 'hash'>): string {
  return createHash('sha256').update(HASH_PREFIX).update(canonicalRow(row)).digest('hex')
}

/** JSON with object keys sorted, so equal values always serialize to equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[k]
      if (v !== undefined) out[k] = sortKeys(v)
    }
    return out
  }
  return value
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
