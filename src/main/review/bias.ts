import {
  BIAS_BOOTSTRAP,
  type Estimate,
  type JudgeBias,
  type JudgeBiasReport,
} from '../../shared/api/calibration'
import type { Db } from '../db/open'
import { readScoringSettings } from '../jury/run/settings'
import { modelFamilies, type ModelFamily } from '../models/family'
import { stripReasoning } from '../scoring/response-text'
import { pearson as pearsonR } from '../stats/correlation'
import { percentileInterval } from '../stats/descriptive'
import { seededRng, type Rng } from '../stats/random'
import { overallItems } from './agreement'
import { agreementData } from './report'
import { setVotes, type VoteRow } from './set-ratings'

/**
 * The judge bias report of a review set, against its clinicians. Per judge (and for the jury as a
 * whole, the mean of its judges), on the items a clinician rated on every criterion:
 *
 * - leniency: the mean of (judge's composite − clinicians' mean composite), 1–5 scale; above 0
 *   the judge is more generous than the clinicians;
 * - verbosity: Pearson's r of that difference with the response length in words (above 0: the
 *   judge rewards length more than the clinicians do), and r of the judge's own score with length;
 * - self-preference: the evaluated models of the judge's own family (Ollama's details, else the
 *   name) are flagged, with the judge's extra leniency on their items over the other models'.
 *
 * Intervals are percentile intervals of a seeded bootstrap over items (stratified by model for the
 * self-preference excess): the same data and seed give the same interval.
 */

const JURY = 'jury'

interface Row {
  model: string
  words: number
  clinicians: number
  /** Composite (mean of the criteria) per judge with a valid vote on every criterion, and 'jury'. */
  scores: Map<string, number>
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

/** Pearson's r (stats/correlation), or null below 3 pairs: a bootstrap resample may have fewer. */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  return x.length < 3 ? null : pearsonR(x, y)
}

/**
 * A statistic of the rows with its bootstrap interval; null when it is undefined on the data.
 * Resamples where it is undefined are skipped; with more than 10 % of them skipped, no interval.
 */
export function bootstrapEstimate<T>(
  rows: readonly T[],
  stat: (rows: readonly T[]) => number | null,
  rng: Rng,
  resamples = BIAS_BOOTSTRAP,
): Estimate | null {
  const value = stat(rows)
  if (value === null || rows.length === 0) return null
  const draws: number[] = []
  const sample = new Array<T>(rows.length)
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < rows.length; i++) sample[i] = rows[rng.int(rows.length)] as T
    const v = stat(sample)
    if (v !== null) draws.push(v)
  }
  const ci = rows.length >= 2 && draws.length >= 0.9 * resamples ? percentileInterval(draws) : null
  return { value, ci95: ci, n: rows.length }
}

/** Per item: each judge's composite over the criteria (only judges valid on every criterion). */
function judgeComposites(
  votes: readonly VoteRow[],
  criteria: readonly string[],
): Map<number, Map<string, number>> {
  const byItem = new Map<number, Map<string, Map<string, number>>>()
  for (const v of votes) {
    if (v.status !== 'valid' || v.score === null) continue
    const judges = byItem.get(v.item) ?? new Map<string, Map<string, number>>()
    byItem.set(v.item, judges)
    const scores = judges.get(v.judge) ?? new Map<string, number>()
    judges.set(v.judge, scores)
    scores.set(v.criterion, v.score)
  }
  const out = new Map<number, Map<string, number>>()
  for (const [item, judges] of byItem) {
    const composites = new Map<string, number>()
    for (const [judge, scores] of judges)
      if (criteria.every((c) => scores.has(c)))
        composites.set(judge, mean(criteria.map((c) => scores.get(c) as number)))
    out.set(item, composites)
  }
  return out
}

function wordCount(text: string | null): number {
  const t = stripReasoning(text ?? '').trim()
  return t === '' ? 0 : t.split(/\s+/).length
}

function loadRows(db: Db, setId: number): { rows: Row[]; judges: string[]; models: string[] } {
  const { set, items, data } = agreementData(db, setId)
  const criteria = set.criteria.map((c) => c.id)
  const composites = judgeComposites(setVotes(db, setId), criteria)
  const text = db.prepare(
    'SELECT r.text FROM run_items ri LEFT JOIN responses r ON r.id = ri.response_id WHERE ri.id = ?',
  )
  const judges = new Set<string>()
  const rows = overallItems(data).map(({ index, jury, clinicians }): Row => {
    const item = items[index]!
    const scores = new Map(composites.get(item.runItemId) ?? [])
    for (const j of scores.keys()) judges.add(j)
    scores.set(JURY, jury)
    const t = text.get(item.runItemId) as { text: string | null } | undefined
    return { model: item.modelKey, words: wordCount(t?.text ?? null), clinicians, scores }
  })
  return { rows, judges: [...judges].sort(), models: [...new Set(items.map((i) => i.modelKey))].sort() }
}

type Pair = { d: number; s: number; words: number; model: string }

function selfPreferenceExcess(pairs: readonly Pair[], model: string, rng: Rng): Estimate | null {
  const own = pairs.filter((p) => p.model === model)
  const other = pairs.filter((p) => p.model !== model)
  if (own.length < 2 || other.length < 2) return null
  const value = mean(own.map((p) => p.d)) - mean(other.map((p) => p.d))
  const draws: number[] = []
  const resample = (xs: readonly Pair[]) => {
    let s = 0
    for (let i = 0; i < xs.length; i++) s += xs[rng.int(xs.length)]!.d
    return s / xs.length
  }
  for (let b = 0; b < BIAS_BOOTSTRAP; b++) draws.push(resample(own) - resample(other))
  return { value, ci95: percentileInterval(draws), n: pairs.length }
}

function judgeBias(
  judge: string,
  rows: readonly Row[],
  families: ReadonlyMap<string, ModelFamily>,
  models: readonly string[],
  seed: number,
): JudgeBias {
  const pairs: Pair[] = rows
    .filter((r) => r.scores.has(judge))
    .map((r) => {
      const s = r.scores.get(judge) as number
      return { d: s - r.clinicians, s, words: r.words, model: r.model }
    })
  const fam = judge === JURY ? null : (families.get(judge) ?? null)
  const rng = (what: string) => seededRng(seed, `bias:${judge}:${what}`)
  const corr = (f: (p: Pair) => number) => (ps: readonly Pair[]) =>
    pearson(
      ps.map(f),
      ps.map((p) => p.words),
    )
  return {
    judge,
    family: fam?.family ?? null,
    familySource: fam?.source ?? null,
    items: pairs.length,
    leniency: bootstrapEstimate(
      pairs,
      (ps) => (ps.length ? mean(ps.map((p) => p.d)) : null),
      rng('leniency'),
    ),
    lengthCorrelation: bootstrapEstimate(
      pairs,
      corr((p) => p.s),
      rng('length'),
    ),
    verbosity: bootstrapEstimate(
      pairs,
      corr((p) => p.d),
      rng('verbosity'),
    ),
    sameFamily: fam
      ? models
          .filter((m) => families.get(m)?.family === fam.family)
          .map((m) => ({
            modelKey: m,
            family: fam.family,
            excess: selfPreferenceExcess(pairs, m, rng(`self:${m}`)),
          }))
      : [],
  }
}

export function judgeBiasReport(db: Db, setId: number, seed = 0): JudgeBiasReport {
  const { rows, judges, models } = loadRows(db, setId)
  const families = modelFamilies(db, [...judges, ...models])
  const report = [...judges, JURY].map((j) => judgeBias(j, rows, families, models, seed))
  const flagged = report.filter((j) => j.sameFamily.length > 0)
  const notes: string[] = []
  if (rows.length === 0)
    notes.push('No item of this set is rated by a clinician on every criterion yet: rate some items first.')
  for (const j of flagged)
    notes.push(
      `${j.judge} is of the ${j.family} family, as ${j.sameFamily.map((s) => s.modelKey).join(', ')}: it may favour ${j.sameFamily.length === 1 ? 'that model' : 'those models'}.`,
    )
  if (report.some((j) => j.familySource === 'name'))
    notes.push(
      'Families marked "from name" were derived from the model name: list the models (Models → Refresh) to read Ollama’s details.',
    )
  const settings = readScoringSettings({ db })
  return {
    setId,
    seed,
    resamples: BIAS_BOOTSTRAP,
    ratedItems: rows.length,
    models: models.map((m) => {
      const f = families.get(m) as ModelFamily
      return {
        modelKey: m,
        family: f.family,
        familySource: f.source,
        items: rows.filter((r) => r.model === m).length,
      }
    }),
    judges: report,
    excludeSameFamily: settings.excludeSameFamily,
    notes,
  }
}
