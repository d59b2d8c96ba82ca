import {
  Calibration as CalibrationSchema,
  calibrationLabel,
  MIN_CALIBRATION_ITEMS,
  type CalibrateParsed,
  type Calibration,
  type CalibrationAgreement,
} from '../../shared/api/calibration'
import { kooLiLabel } from '../stats/koo-li'
import type { IccValue } from '../../shared/api/review'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { fitIsotonic, predictIsotonic, type IsotonicFit } from '../stats/isotonic'
import { seededRng } from '../stats/random'
import { iccFigure, overallItems } from './agreement'
import { agreementData } from './report'
import { intraclassCorrelations, iccUndefinedReason, meanSquares } from './stats/icc'

/**
 * Calibration of the jury to the hospital's own clinicians. On the items of one or more review
 * sets that a clinician rated on every criterion and the jury scored, a monotone (isotonic) map
 * is fitted from the item's stored jury score (the mean of its valid votes, 1–5) to the
 * clinicians' mean composite (the mean of the criteria). Whether it helps is measured on held-out items: seeded k-fold cross-validation
 * predicts each item with a map fitted without its fold, and the raw and the calibrated jury are
 * compared with the clinicians on the same items (mean difference, mean absolute error, RMSE,
 * ICC(2,1) absolute agreement, and MedHELM's ICC(3,k) on z-scored ratings). Below
 * MIN_CALIBRATION_ITEMS items the fit is refused with the reason.
 */

export interface CalibrationPoint {
  jury: number
  clinicians: number
}

/** Fold of each of n items: a seeded shuffle dealt round-robin into k folds (sizes differ by ≤ 1). */
export function kFoldAssignment(n: number, k: number, seed: number): number[] {
  if (!(Number.isInteger(k) && k >= 2 && k <= n))
    throw new RangeError(`k-fold cross-validation needs 2 ≤ k ≤ n (k = ${k}, n = ${n})`)
  const order = Array.from({ length: n }, (_, i) => i)
  const rng = seededRng(seed, 'calibration-folds')
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    ;[order[i], order[j]] = [order[j] as number, order[i] as number]
  }
  const fold = new Array<number>(n)
  order.forEach((item, position) => (fold[item] = position % k))
  return fold
}

const fitOn = (points: readonly CalibrationPoint[]): IsotonicFit =>
  fitIsotonic(
    points.map((p) => p.jury),
    points.map((p) => p.clinicians),
  )

/** Each item's calibrated score from a map fitted on the other folds. */
export function crossValidatedPredictions(
  points: readonly CalibrationPoint[],
  k: number,
  seed: number,
): number[] {
  const fold = kFoldAssignment(points.length, k, seed)
  const out = new Array<number>(points.length)
  for (let f = 0; f < k; f++) {
    const map = fitOn(points.filter((_, i) => fold[i] !== f))
    points.forEach((p, i) => {
      if (fold[i] === f) out[i] = predictIsotonic(map, p.jury)
    })
  }
  return out
}

function absoluteIcc(scores: readonly number[], clinicians: readonly number[]): IccValue | string {
  const matrix = scores.map((s, i) => [s, clinicians[i] as number])
  const why = iccUndefinedReason(meanSquares(matrix))
  if (why) return why
  const icc = intraclassCorrelations(matrix).ICC2
  return { value: icc.value, ci95: icc.ci, label: kooLiLabel(icc.value, icc.ci).label }
}

/** How closely `scores` say what the clinicians say, item by item (both on 1–5). */
export function scoreAgreement(
  scores: readonly number[],
  clinicians: readonly number[],
): CalibrationAgreement {
  const n = scores.length
  if (n < 2 || clinicians.length !== n)
    throw new RangeError(`agreement needs at least 2 paired scores (got ${n} and ${clinicians.length})`)
  const diffs = scores.map((s, i) => s - (clinicians[i] as number))
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const absolute = absoluteIcc(scores, clinicians)
  const consistency = iccFigure(
    'overall',
    [
      { label: 'the score', values: scores },
      { label: 'the clinicians', values: clinicians },
    ],
    [],
    2,
  )
  const notes = [
    typeof absolute === 'string' ? `absolute ICC: ${absolute}` : null,
    consistency.status === 'ok' ? null : `consistency ICC: ${consistency.reason ?? 'not computable'}`,
  ].filter((x): x is string => x !== null)
  return {
    items: n,
    meanDifference: mean(diffs),
    meanAbsError: mean(diffs.map(Math.abs)),
    rmse: Math.sqrt(mean(diffs.map((d) => d * d))),
    iccAbsolute: typeof absolute === 'string' ? null : absolute,
    iccConsistency: consistency.icc3k,
    note: notes.length ? notes.join('; ') : null,
  }
}

interface SetPoints {
  setId: number
  benchmarkId: string
  points: CalibrationPoint[]
  ratings: number
}

/**
 * The set's items with a clinicians' mean composite and a stored jury score. The jury side is the
 * instance's stored jury score (scores.metric 'jury': the mean of its valid votes, without the
 * judges the jury settings left out) — the very number the leaderboard maps — not a recomputation.
 */
function setPoints(db: Db, setId: number): SetPoints {
  const { set, items, data } = agreementData(db, setId)
  const stored = db.prepare(
    "SELECT value FROM scores WHERE run_item_id = ? AND metric = 'jury' AND status = 'ok' AND value IS NOT NULL",
  )
  const rows = overallItems(data).flatMap((r) => {
    const jury = stored.pluck().get(items[r.index]!.runItemId) as number | undefined
    return jury === undefined ? [] : [{ jury, clinicians: r.clinicians, raters: r.raters }]
  })
  const benchmark = db
    .prepare('SELECT benchmark_id AS id FROM benchmark_versions WHERE id = ?')
    .get(set.versionId) as { id: string }
  return {
    setId,
    benchmarkId: benchmark.id,
    points: rows.map(({ jury, clinicians }) => ({ jury, clinicians })),
    ratings: rows.reduce((a, r) => a + r.raters, 0),
  }
}

/** Fits the map on the sets' items, cross-validates it and (unless `save` is false) stores it. */
export function calibrateJury(db: Db, input: CalibrateParsed): Calibration {
  const setIds = [...new Set(input.setIds)].sort((a, b) => a - b)
  const sets = setIds.map((id) => setPoints(db, id))
  const points = sets.flatMap((s) => s.points)
  if (points.length < MIN_CALIBRATION_ITEMS)
    throw new AppError(
      'conflict',
      `calibration needs at least ${MIN_CALIBRATION_ITEMS} items rated by a clinician on every criterion and scored by the jury; ${sets
        .map((s) => `set ${s.setId} has ${s.points.length}`)
        .join(
          ', ',
        )}${sets.length > 1 ? ` (${points.length} in all)` : ''}. Rate more items of the set, or calibrate on several sets.`,
    )
  if (input.folds > points.length)
    throw new AppError('invalid_input', `--folds: ${input.folds} folds for ${points.length} items`)
  const map = fitOn(points)
  const clinicians = points.map((p) => p.clinicians)
  const ratings = sets.reduce((a, s) => a + s.ratings, 0)
  const fit: Omit<Calibration, 'id' | 'createdAt'> = {
    setIds,
    benchmarks: [...new Set(sets.map((s) => s.benchmarkId))].sort(),
    items: points.length,
    ratings,
    seed: input.seed,
    folds: input.folds,
    map,
    before: scoreAgreement(
      points.map((p) => p.jury),
      clinicians,
    ),
    after: scoreAgreement(crossValidatedPredictions(points, input.folds, input.seed), clinicians),
    label: calibrationLabel(ratings, setIds),
  }
  const createdAt = new Date().toISOString()
  if (!input.save) return { ...fit, id: null, createdAt }
  const id = db
    .prepare(
      `INSERT INTO jury_calibrations (set_ids_json, benchmarks_json, items, ratings, seed, folds, map_json, report_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      JSON.stringify(fit.setIds),
      JSON.stringify(fit.benchmarks),
      fit.items,
      fit.ratings,
      fit.seed,
      fit.folds,
      JSON.stringify(map),
      JSON.stringify({ before: fit.before, after: fit.after }),
      createdAt,
    ).lastInsertRowid
  return { ...fit, id: Number(id), createdAt }
}

interface CalibrationRow {
  id: number
  set_ids_json: string
  benchmarks_json: string
  items: number
  ratings: number
  seed: number
  folds: number
  map_json: string
  report_json: string
  created_at: string
}

function fromRow(r: CalibrationRow): Calibration {
  const setIds = JSON.parse(r.set_ids_json) as number[]
  const report = JSON.parse(r.report_json) as { before: unknown; after: unknown }
  const parsed = CalibrationSchema.safeParse({
    id: r.id,
    setIds,
    benchmarks: JSON.parse(r.benchmarks_json) as unknown,
    items: r.items,
    ratings: r.ratings,
    seed: r.seed,
    folds: r.folds,
    map: JSON.parse(r.map_json) as unknown,
    before: report.before,
    after: report.after,
    label: calibrationLabel(r.ratings, setIds),
    createdAt: r.created_at,
  })
  if (!parsed.success)
    throw new AppError('bad_data', `calibration ${r.id}: its stored map or report is invalid`)
  return parsed.data
}

const SELECT = 'SELECT * FROM jury_calibrations'

/** Stored calibrations, newest first. */
export function listCalibrations(db: Db): Calibration[] {
  return (db.prepare(`${SELECT} ORDER BY id DESC`).all() as CalibrationRow[]).map(fromRow)
}

/** A stored calibration by id, or the newest with 'latest'. */
export function loadCalibration(db: Db, which: number | 'latest'): Calibration {
  const row = (
    which === 'latest'
      ? db.prepare(`${SELECT} ORDER BY id DESC LIMIT 1`).get()
      : db.prepare(`${SELECT} WHERE id = ?`).get(which)
  ) as CalibrationRow | undefined
  if (!row)
    throw new AppError(
      'not_found',
      which === 'latest'
        ? 'calibration: none is stored yet; fit one with `review calibrate --sets <ids>` (at least 30 rated items)'
        : `calibration: there is no calibration ${which} (see \`review calibrations\`)`,
    )
  return fromRow(row)
}

/** The calibrated jury score of one instance (1–5). */
export function applyCalibration(c: Pick<Calibration, 'map'>, juryScore: number): number {
  return predictIsotonic(c.map, juryScore)
}
