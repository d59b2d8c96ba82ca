import { basename } from 'node:path'
import { AppError } from '../../errors'
import { CsvIssues, csvColumns, readCsvRecords } from '../../csv/read'
import { kooLiLabel } from '../../stats/koo-li'
import { ICC_TYPES, intraclassCorrelations, type IccEstimate, type IccType } from '../stats/icc'
import { dropIncomplete, type Incompleteness } from './incomplete'

/**
 * `stats icc <ratings.csv>`: all six Shrout & Fleiss (1979) ICCs of a long CSV `target,rater,score`
 * (each rater rates each target once). Every row is checked first; problems name the file, line and
 * column. Missing ratings are refused with the list of what is missing, or — asked for — the
 * incomplete targets and raters are dropped and reported.
 */

export const ICC_FORMS: Record<IccType, { form: string; model: string }> = {
  ICC1: { form: 'ICC(1,1)', model: 'one-way random, single rater, absolute agreement' },
  ICC2: { form: 'ICC(2,1)', model: 'two-way random, single rater, absolute agreement' },
  ICC3: { form: 'ICC(3,1)', model: 'two-way mixed, single rater, consistency' },
  ICC1k: { form: 'ICC(1,k)', model: 'one-way random, mean of k raters, absolute agreement' },
  ICC2k: { form: 'ICC(2,k)', model: 'two-way random, mean of k raters, absolute agreement' },
  ICC3k: { form: 'ICC(3,k)', model: 'two-way mixed, mean of k raters, consistency' },
}

/** Scores accepted by default: 0 to 10 (Likert and numeric rating scales); `scale` narrows it. */
export const DEFAULT_ICC_SCALE: [number, number] = [0, 10]

export interface IccFormResult extends IccEstimate {
  form: string
  model: string
  label: string
}

export interface IccFileReport {
  file: string
  scale: [number, number]
  targets: number
  raters: number
  raterNames: string[]
  /** What --drop-incomplete left out; null when nothing was missing. */
  dropped: Incompleteness | null
  forms: IccFormResult[]
}

export interface LongRating {
  line: number
  target: string
  rater: string
  score: number
}

/** A number as a CSV cell spells it: optional sign, digits, optional decimals (no 1e3, no blanks). */
export function parseScore(text: string): number | null {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : null
}

function readLongRatings(path: string, file: string, scale: [number, number]): LongRating[] {
  const recs = readCsvRecords(path, file, 'ratings file')
  const header = recs[0]
  if (!header)
    throw new AppError('bad_data', `${file}: the file is empty; expected a header row target,rater,score`)
  const issues = new CsvIssues(file)
  const col = csvColumns(header, ['target', 'rater', 'score'], [], issues)
  issues.throwIfAny('no ICC was computed')
  if (recs.length === 1) throw new AppError('bad_data', `${file}: the file has a header but no ratings`)
  const rows: LongRating[] = []
  const seen = new Map<string, number>()
  for (const rec of recs.slice(1)) {
    if (rec.fields.length !== header.fields.length) {
      issues.add(rec.line, 'row', `has ${rec.fields.length} fields; the header has ${header.fields.length}`)
      continue
    }
    const field = (name: string) => (rec.fields[col.get(name) as number] ?? '').trim()
    const [target, rater, scoreText] = [field('target'), field('rater'), field('score')]
    if (target === '') issues.add(rec.line, 'target', 'empty; name the target (the item rated)')
    if (rater === '') issues.add(rec.line, 'rater', 'empty; name the rater')
    const score = parseScore(scoreText)
    if (scoreText === '') issues.add(rec.line, 'score', 'empty; every row needs a score (none is assumed)')
    else if (score === null) issues.add(rec.line, 'score', 'not a number')
    else if (score < scale[0] || score > scale[1])
      issues.add(rec.line, 'score', `out of range: scores lie from ${scale[0]} to ${scale[1]} (see --scale)`)
    if (target === '' || rater === '' || score === null || score < scale[0] || score > scale[1]) continue
    const key = `${target}\u0000${rater}`
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      issues.add(rec.line, 'rater', `this rater already rated this target at line ${earlier}`)
      continue
    }
    seen.set(key, rec.line)
    rows.push({ line: rec.line, target, rater, score })
  }
  issues.throwIfAny('no ICC was computed')
  return rows
}

const linesOf = (rows: readonly LongRating[]) => {
  const lines = rows.map((r) => r.line)
  return lines.length > 6 ? `${lines.slice(0, 6).join(', ')}, …` : lines.join(', ')
}

/** Refuses a single rater and a rater without spread, naming their lines. */
export function checkRaters(file: string, rows: readonly LongRating[], raters: readonly string[]): void {
  if (raters.length < 2)
    throw new AppError(
      'bad_data',
      `${file} column rater: every rating (lines ${linesOf(rows)}) is by one rater; an ICC needs at least 2 raters`,
    )
  for (const rater of raters) {
    const mine = rows.filter((r) => r.rater === rater)
    if (mine.every((r) => r.score === mine[0]?.score))
      throw new AppError(
        'bad_data',
        `${file} column score: rater "${rater}" gave every target the same score (lines ${linesOf(mine)}); a rater without spread cannot be compared — check the file or leave that rater out`,
      )
  }
}

export function iccFromFile(
  path: string,
  options: { dropIncomplete?: boolean; scale?: [number, number] } = {},
): IccFileReport {
  const file = basename(path)
  const scale = options.scale ?? DEFAULT_ICC_SCALE
  const rows = readLongRatings(path, file, scale)
  const kept = dropIncomplete(file, rows, !!options.dropIncomplete)
  checkRaters(file, kept.rows, kept.raters)
  const score = new Map(kept.rows.map((x) => [`${x.target}\u0000${x.rater}`, x.score]))
  const matrix = kept.targets.map((t) => kept.raters.map((r) => score.get(`${t}\u0000${r}`) as number))
  let icc: ReturnType<typeof intraclassCorrelations>
  try {
    icc = intraclassCorrelations(matrix)
  } catch (e) {
    throw new AppError('bad_data', `${file}: ${e instanceof Error ? e.message : String(e)}`)
  }
  return {
    file,
    scale,
    targets: kept.targets.length,
    raters: kept.raters.length,
    raterNames: kept.raters,
    dropped: kept.dropped,
    forms: ICC_TYPES.map((t) => ({
      ...icc[t],
      ...ICC_FORMS[t],
      label: kooLiLabel(icc[t].value, icc[t].ci).label,
    })),
  }
}
