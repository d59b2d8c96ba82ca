import type { Leaderboard } from '../../shared/api/leaderboard'
import type { Db } from '../db/open'
import { applyCalibration, loadCalibration } from '../review/calibration'
import type { Calibration } from '../../shared/api/calibration'
import type { Triple } from './queries'

/**
 * Calibrated jury scores on the leaderboard: a stored calibration (review/calibration.ts) maps
 * each instance's jury score to the clinicians' scale, and a cell's calibrated value is the mean
 * of those — never the map applied to the cell's mean, since the map is not linear. Only the jury
 * columns of the calibration's own benchmarks get one; the raw value stays what it is.
 */

export type CalibratedCell = NonNullable<Leaderboard['cells'][number]['calibrated']>

export function resolveCalibration(db: Db, which: number | 'latest' | undefined): Calibration | null {
  return which === undefined ? null : loadCalibration(db, which)
}

/** The calibrated jury score of one cell (run × model × benchmark version), or null without scores. */
export function calibratedCell(db: Db, calibration: Calibration, cell: Triple): CalibratedCell | null {
  const values = db
    .prepare(
      `SELECT s.value FROM scores s JOIN run_items ri ON ri.id = s.run_item_id JOIN instances i ON i.id = ri.instance_id
       WHERE ri.run_id = ? AND ri.model_key = ? AND i.benchmark_version_id = ? AND ri.status = 'done'
         AND s.metric = 'jury' AND s.status = 'ok' AND s.value IS NOT NULL`,
    )
    .pluck()
    .all(cell.runId, cell.modelKey, cell.versionId) as number[]
  if (values.length === 0) return null
  const value = values.reduce((a, v) => a + applyCalibration(calibration, v), 0) / values.length
  return { value, normalized: (value - 1) / 4, instances: values.length }
}

/** The leaderboard's account of the calibration it shows. */
export function calibrationSummary(
  calibration: Calibration,
  columns: readonly string[],
): Leaderboard['calibration'] {
  return {
    id: calibration.id as number,
    label: calibration.label,
    setIds: calibration.setIds,
    benchmarks: calibration.benchmarks,
    columns: [...columns],
  }
}

export function calibrationNote(calibration: Calibration, columns: readonly string[]): string {
  return columns.length === 0
    ? `Calibration ${calibration.id} (${calibration.label}) is for ${calibration.benchmarks.join(', ')}, none of which has a jury column here: no calibrated score is shown.`
    : `Jury scores ${calibration.label} are shown beside the raw ones for ${columns.length} column${columns.length === 1 ? '' : 's'}; ranks, win rates and macro-averages use the raw scores.`
}
