import { basename } from 'node:path'
import type { ClinicianPairBaseline, ScorerAgreement } from '../../../shared/api/review'
import { AppError } from '../../errors'
import { CsvIssues, csvColumns, readCsvRecords } from '../../csv/read'
import type { DelimitedRecord } from '../../benchmarks/importers/delimited'
import { clinicianPairBaseline, scorerVsClinicians } from '../medhelm-method'
import { parseScore } from './icc-file'

/**
 * `stats agreement <ratings.csv>`: MedHELM's jury–clinician validation on a file of ratings made
 * anywhere. Columns `instance_id,rater,kind,accuracy,completeness,clarity[,benchmark]`; `kind` is
 * `clinician` or `jury` (one jury row per instance, its scores the jury's per-criterion means); scores
 * from 1 to 5. Overall and per benchmark, with n. Every row is checked first; problems name the
 * file, line and column, and nothing is computed.
 */

export const AGREEMENT_CRITERIA = ['accuracy', 'completeness', 'clarity'] as const
const REQUIRED = ['instance_id', 'rater', 'kind', ...AGREEMENT_CRITERIA]
const OPTIONAL = ['benchmark']
/** Fewest items a figure from a file is computed on. */
export const FILE_MIN_ITEMS = 5

interface Instance {
  /** Benchmark and id. */
  key: string
  id: string
  benchmark: string
  jury: number | null
  juryLine: number
  /** Clinician → composite. */
  clinicians: Map<string, number>
  /** Clinician → line of their row. */
  lines: Map<string, number>
}

export interface AgreementGroup {
  /** 'all' for the pooled group, else the benchmark. */
  benchmark: string
  instances: number
  clinicians: number
  jury: ScorerAgreement
  baseline: ClinicianPairBaseline
}

export interface AgreementFileReport {
  file: string
  seed: number
  /** Benchmarks the pooled group was limited to (--benchmark), or null for all. */
  only: string[] | null
  /** Things to know that did not stop the computation (a clinician without spread…). */
  warnings: string[]
  /** Instances left out: rated by clinicians but without a jury row, or the reverse. */
  unmatched: { withoutJury: string[]; withoutClinician: string[] }
  overall: AgreementGroup
  benchmarks: AgreementGroup[]
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

interface Row {
  line: number
  id: string
  rater: string
  kind: 'clinician' | 'jury'
  benchmark: string
  /** Composite: the mean of the three criteria. */
  composite: number
}

/** One data row checked field by field; null (with its problems recorded) when any field is bad. */
function parseRow(rec: DelimitedRecord, col: Map<string, number>, issues: CsvIssues): Row | null {
  const field = (name: string) => (col.has(name) ? (rec.fields[col.get(name) as number] ?? '').trim() : '')
  const before = issues.count
  const id = field('instance_id')
  const rater = field('rater')
  const kind = field('kind').toLowerCase()
  const benchmark = col.has('benchmark') ? field('benchmark') : 'all'
  if (id === '') issues.add(rec.line, 'instance_id', 'empty; name the instance rated')
  if (rater === '') issues.add(rec.line, 'rater', 'empty; name the rater')
  if (kind !== 'clinician' && kind !== 'jury') issues.add(rec.line, 'kind', 'must be "clinician" or "jury"')
  if (benchmark === '') issues.add(rec.line, 'benchmark', 'empty; name the benchmark (or drop the column)')
  const scores = AGREEMENT_CRITERIA.map((c) => {
    const text = field(c)
    const x = parseScore(text)
    if (text === '') issues.add(rec.line, c, 'empty; every row needs all three scores (none is assumed)')
    else if (x === null) issues.add(rec.line, c, 'not a number')
    else if (x < 1 || x > 5) issues.add(rec.line, c, 'out of range: scores lie from 1 to 5')
    return x ?? NaN
  })
  if (issues.count > before) return null
  return { line: rec.line, id, rater, kind: kind as Row['kind'], benchmark, composite: mean(scores) }
}

function readInstances(path: string, file: string): Map<string, Instance> {
  const recs = readCsvRecords(path, file, 'ratings file')
  const header = recs[0]
  if (!header)
    throw new AppError('bad_data', `${file}: the file is empty; expected a header row ${REQUIRED.join(',')}`)
  const issues = new CsvIssues(file)
  const col = csvColumns(header, REQUIRED, OPTIONAL, issues)
  issues.throwIfAny('no agreement was computed')
  if (recs.length === 1) throw new AppError('bad_data', `${file}: the file has a header but no ratings`)
  const instances = new Map<string, Instance>()
  const seen = new Map<string, number>()
  for (const rec of recs.slice(1)) {
    if (rec.fields.length !== header.fields.length) {
      issues.add(rec.line, 'row', `has ${rec.fields.length} fields; the header has ${header.fields.length}`)
      continue
    }
    const row = parseRow(rec, col, issues)
    if (!row) continue
    // An instance is its benchmark and its id: benchmarks may reuse ids.
    const key = `${row.benchmark}\u0000${row.id}`
    const who = row.kind === 'jury' ? `${key}\u0000jury` : `${key}\u0000clinician\u0000${row.rater}`
    const earlier = seen.get(who)
    if (earlier !== undefined) {
      issues.add(
        row.line,
        row.kind === 'jury' ? 'kind' : 'rater',
        row.kind === 'jury'
          ? `a second jury row for this instance (the first is line ${earlier}); one jury row per instance`
          : `this clinician already rated this instance at line ${earlier}`,
      )
      continue
    }
    seen.set(who, row.line)
    let inst = instances.get(key)
    if (!inst)
      instances.set(
        key,
        (inst = {
          key,
          id: row.id,
          benchmark: row.benchmark,
          jury: null,
          juryLine: 0,
          clinicians: new Map(),
          lines: new Map(),
        }),
      )
    if (row.kind === 'jury') {
      inst.jury = row.composite
      inst.juryLine = row.line
    } else {
      inst.clinicians.set(row.rater, row.composite)
      inst.lines.set(row.rater, row.line)
    }
  }
  issues.throwIfAny('no agreement was computed')
  return instances
}

const listLines = (lines: readonly number[]) =>
  lines.length > 6 ? `${lines.slice(0, 6).join(', ')}, …` : lines.join(', ')

/**
 * Refuses a file whose ratings cannot measure agreement: no clinician rows, no jury rows, or a jury
 * (or the clinicians' mean) that gives every instance the same score. One clinician without spread
 * is a warning, not an error: MedHELM's own ratings have one (their mean still varies).
 */
function checkSpread(file: string, instances: readonly Instance[]): string[] {
  const juryRows = instances.filter((i) => i.jury !== null)
  const clinicianLines = instances.flatMap((i) => [...i.lines.values()])
  if (clinicianLines.length === 0)
    throw new AppError(
      'bad_data',
      `${file} column kind: no clinician rows; agreement needs clinicians' ratings`,
    )
  if (juryRows.length === 0)
    throw new AppError(
      'bad_data',
      `${file} column kind: no jury rows; agreement needs one jury row per instance`,
    )
  const both = juryRows.filter((i) => i.clinicians.size > 0)
  const flat = (xs: number[]) => xs.length >= 2 && xs.every((x) => x === xs[0])
  if (flat(both.map((i) => i.jury as number)))
    throw new AppError(
      'bad_data',
      `${file} columns accuracy, completeness, clarity: the jury rows (lines ${listLines(both.map((i) => i.juryLine))}) give every instance the same composite score; agreement cannot be measured`,
    )
  if (flat(both.map((i) => mean([...i.clinicians.values()]))))
    throw new AppError(
      'bad_data',
      `${file} columns accuracy, completeness, clarity: the clinician rows (lines ${listLines(clinicianLines)}) give every instance the same composite score; agreement cannot be measured`,
    )
  const byRater = new Map<string, { scores: number[]; lines: number[] }>()
  for (const i of instances)
    for (const [r, x] of i.clinicians) {
      const e = byRater.get(r) ?? { scores: [], lines: [] }
      e.scores.push(x)
      e.lines.push(i.lines.get(r) as number)
      byRater.set(r, e)
    }
  const warnings = [...byRater]
    .filter(([, e]) => flat(e.scores))
    .map(
      ([r, e]) =>
        `clinician "${r}" gave all ${e.scores.length} of their instances the same composite score (lines ${listLines(e.lines)}); no baseline can include them`,
    )
  if (byRater.size === 1)
    warnings.push(
      'only one clinician in the file: the clinician–clinician baseline needs two who rated the same instances',
    )
  return warnings
}

function group(benchmark: string, items: readonly Instance[], seed: number): AgreementGroup {
  const both = items.filter((i) => i.jury !== null && i.clinicians.size > 0)
  const byRater = new Map<string, Map<string, number>>()
  for (const i of items)
    for (const [r, s] of i.clinicians) {
      const m = byRater.get(r) ?? new Map<string, number>()
      m.set(i.key, s)
      byRater.set(r, m)
    }
  return {
    benchmark,
    instances: both.length,
    clinicians: byRater.size,
    jury: scorerVsClinicians(
      { scorer: 'jury', name: 'LLM jury', kind: 'jury', likert: true },
      both.map((i) => ({ clinicians: mean([...i.clinicians.values()]), scorer: i.jury as number })),
      { seed, minItems: FILE_MIN_ITEMS },
    ),
    baseline: clinicianPairBaseline(byRater, FILE_MIN_ITEMS),
  }
}

export function agreementFromFile(
  path: string,
  options: { seed?: number; benchmarks?: string[] } = {},
): AgreementFileReport {
  const file = basename(path)
  const seed = options.seed ?? 0
  const all = [...readInstances(path, file).values()]
  const only = options.benchmarks?.length ? options.benchmarks : null
  if (only) {
    const known = new Set(all.map((i) => i.benchmark))
    const unknown = only.filter((b) => !known.has(b))
    if (unknown.length)
      throw new AppError(
        'invalid_input',
        `--benchmark: ${unknown.join(', ')} not in ${file} (it has ${[...known].sort().join(', ')})`,
      )
  }
  const chosen = only ? all.filter((i) => only.includes(i.benchmark)) : all
  const warnings = checkSpread(file, chosen)
  const benchmarks = [...new Set(chosen.map((i) => i.benchmark))].sort()
  return {
    file,
    seed,
    only,
    warnings,
    unmatched: {
      withoutJury: chosen.filter((i) => i.jury === null).map((i) => i.id),
      withoutClinician: chosen.filter((i) => i.clinicians.size === 0).map((i) => i.id),
    },
    overall: group('all', chosen, seed),
    benchmarks:
      benchmarks.length > 1
        ? benchmarks.map((b) =>
            group(
              b,
              chosen.filter((i) => i.benchmark === b),
              seed,
            ),
          )
        : [],
  }
}
