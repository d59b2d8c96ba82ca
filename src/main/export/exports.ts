import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { LeaderboardQuery } from '../../shared/api/leaderboard'
import { PATIENT_TEXT_WARNING, type ExportOutcome } from '../../shared/api/export'
import type { AppContext } from '../app/context'
import type { WorkerScripts } from '../app/worker-scripts'
import { appendAudit } from '../audit/log'
import { currentActor } from '../audit/actor'
import { AppError } from '../errors'
import type { Db } from '../db/open'
import { openSnapshot } from '../db/snapshot'
import { computeLeaderboardAsync } from '../analysis/leaderboard'
import { helmExport, type HelmExport } from './helm'
import { assertRun, countInstanceRecords, instanceColumns, instanceRecords } from './instances'
import { instanceCsvLines, instanceJsonLines } from './instances-format'
import { leaderboardCsvLines, leaderboardJson } from './leaderboard-export'
import { exportMeta } from './meta'
import { writeLines, writeText } from './write'

/**
 * The three exports for analysts, each writing one target the caller has checked (CLI: `--out`
 * and `--force`; app: a path chosen in the save dialog or inside exports/): the leaderboard (CSV
 * or JSON), a run's per-instance results (CSV or JSONL, streamed), and the HELM-shaped statistics.
 */

type Ctx = Pick<AppContext, 'db' | 'resourcesDir'> & { workers?: WorkerScripts }
type Query = Omit<LeaderboardQuery, 'jobId'>
export type Progress = (done: number, total: number | null) => void

export type ExportResult = ExportOutcome

/** Counts what passes through. */
function* counting(lines: Iterable<string>, seen: { n: number }): Generator<string> {
  for (const l of lines) {
    seen.n++
    yield l
  }
}

export async function exportLeaderboard(
  ctx: Ctx,
  query: Query,
  format: 'csv' | 'json',
  file: string,
  onProgress?: Progress,
): Promise<ExportResult> {
  const lb = await computeLeaderboardAsync(ctx, query, onProgress)
  if (format === 'json') {
    const w = await writeText(file, leaderboardJson(lb, exportMeta(query, lb.statistics.seed)))
    return { ...w, records: lb.rows.length }
  }
  const lines = { n: 0 }
  const w = await writeLines(file, counting(leaderboardCsvLines(lb), lines))
  return { ...w, records: lines.n - 1 }
}

export async function exportInstances(
  ctx: Pick<AppContext, 'db' | 'dbPath' | 'nativeBinding'>,
  options: {
    runId: number
    format: 'csv' | 'jsonl'
    file: string
    includeText?: boolean
    confirmed?: boolean
  },
  onProgress?: Progress,
): Promise<ExportResult> {
  assertRun(ctx.db, options.runId)
  const includeText = options.includeText === true
  if (includeText && !options.confirmed)
    throw new AppError(
      'invalid_input',
      `confirmation: ${PATIENT_TEXT_WARNING} Confirm the export (app: the confirmation box; CLI: --yes).`,
    )
  const snap = openSnapshot(ctx)
  let w: ExportResult
  try {
    w = await writeInstances(snap.db, { ...options, includeText }, onProgress)
  } finally {
    snap.close()
  }
  if (includeText)
    appendAudit(ctx.db, {
      kind: 'approval',
      actor: currentActor(),
      outcome: 'instance_results_exported_with_text',
      bodySha256: w.sha256,
      bytesSent: w.bytes,
      detail: `per-instance results of run ${options.runId} with prompts and responses (may contain patient data), ${w.records} records, ${options.format}; export confirmed`,
    })
  return w
}

/** The records of one consistent snapshot, streamed to the file. */
async function writeInstances(
  db: Db,
  options: { runId: number; format: 'csv' | 'jsonl'; file: string; includeText: boolean },
  onProgress?: Progress,
): Promise<ExportResult> {
  const { runId, includeText } = options
  const total = countInstanceRecords(db, runId)
  let records = 0
  async function* counted() {
    for await (const r of instanceRecords(db, runId, { includeText })) {
      records++
      if (records % 1000 === 0) onProgress?.(records, total)
      yield r
    }
  }
  const lines =
    options.format === 'csv'
      ? instanceCsvLines(counted(), instanceColumns(db, runId), includeText)
      : instanceJsonLines(counted())
  const w = await writeLines(options.file, lines)
  onProgress?.(records, total)
  return { ...w, records }
}

/** Folder layout: HELM's `<run spec>/run_spec.json` and `stats.json`, and the whole document beside them. */
export const HELM_DOCUMENT = 'wardeval-helm.json'
const folderName = (name: string) => name.replace(/[/\\:*?"<>|\s]/g, '_')

export async function exportHelm(
  ctx: Ctx,
  query: Query,
  target: { file: string } | { folder: string },
  onProgress?: Progress,
): Promise<ExportResult & { runSpecs: number }> {
  const lb = await computeLeaderboardAsync(ctx, query, onProgress)
  const doc: HelmExport = helmExport(ctx.db, lb, exportMeta(query, lb.statistics.seed))
  const runSpecs = doc.models.reduce((s, m) => s + m.run_specs.length, 0)
  const json = (x: unknown) => JSON.stringify(x, null, 2)
  if ('file' in target)
    return { ...(await writeText(target.file, json(doc))), records: doc.models.length, runSpecs }
  let bytes = 0
  const names = new Set<string>()
  for (const m of doc.models)
    for (const e of m.run_specs) {
      const name = folderName(e.run_spec.name)
      if (names.has(name))
        throw new AppError(
          'conflict',
          `--out: two run specs share the folder name ${name}; export to a .json file instead`,
        )
      names.add(name)
      const dir = join(target.folder, name)
      mkdirSync(dir, { recursive: true })
      bytes += (await writeText(join(dir, 'run_spec.json'), json(e.run_spec))).bytes
      bytes += (await writeText(join(dir, 'stats.json'), json(e.stats))).bytes
    }
  const whole = await writeText(join(target.folder, HELM_DOCUMENT), json(doc))
  return { ...whole, bytes: bytes + whole.bytes, records: doc.models.length, runSpecs }
}
