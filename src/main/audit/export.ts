import { mkdirSync, openSync, writeSync, closeSync, renameSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { exportsDir } from '../app/save-targets'
import type { AuditFilter } from '../../shared/api/models'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { iterateAudit } from './query'
import { csvRow } from '../csv/cell'
import { partialPath } from '../files/partial-path'

export const CSV_COLUMNS = [
  'seq',
  'ts',
  'kind',
  'actor',
  'endpoint_id',
  'endpoint',
  'host',
  'port',
  'address',
  'purpose',
  'bytes_sent',
  'bytes_received',
  'body_sha256',
  'outcome',
  'detail',
  'prev_hash',
  'hash',
  // Derived, not hashed (the link is inside purpose): which intent an outcome row completes, and
  // whether an intent row was completed, is in flight, or is unfinished (the app stopped first).
  'completes_seq',
  'intent_state',
] as const

/** Where the app writes an export when the user names no file: an `exports` folder by the database. */
export function defaultExportFile(dataDir: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  return join(exportsDir(dataDir), `audit-${stamp}.csv`)
}

/**
 * Writes the audit log (oldest first, every column including the chain hashes, so the file can be
 * checked independently) as CSV, unfinished write-ahead intents included and marked. Written to a temporary file and renamed, so a failure never leaves
 * a half-written export behind.
 */
export function exportAuditCsv(
  db: Db,
  file: string,
  filter: AuditFilter = {},
): { file: string; rows: number } {
  const target = resolve(file)
  try {
    mkdirSync(dirname(target), { recursive: true })
  } catch (e) {
    throw new AppError('invalid_input', `Cannot create the folder for ${target}: ${(e as Error).message}`)
  }
  const tmp = partialPath(target)
  let fd: number
  try {
    fd = openSync(tmp, 'w', 0o600)
  } catch (e) {
    throw new AppError('invalid_input', `Cannot write ${target}: ${(e as Error).message}`)
  }
  let rows = 0
  try {
    writeSync(fd, CSV_COLUMNS.join(',') + '\r\n')
    let buf = ''
    for (const e of iterateAudit(db, filter)) {
      const cells = [
        e.seq,
        e.ts,
        e.kind,
        e.actor,
        e.endpointId,
        e.endpoint,
        e.host,
        e.port,
        e.address,
        JSON.stringify(e.purpose),
        e.bytesSent,
        e.bytesReceived,
        e.bodySha256,
        e.outcome,
        e.detail,
        e.prevHash,
        e.hash,
        e.completesSeq,
        e.intentState,
      ]
      buf += csvRow(cells) + '\r\n'
      rows++
      if (buf.length > 1 << 16) {
        writeSync(fd, buf)
        buf = ''
      }
    }
    if (buf) writeSync(fd, buf)
    closeSync(fd)
    renameSync(tmp, target)
  } catch (e) {
    try {
      closeSync(fd)
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true })
    throw e
  }
  return { file: target, rows }
}
