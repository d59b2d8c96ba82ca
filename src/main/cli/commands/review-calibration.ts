import type { Command } from 'commander'
import {
  CalibrateInput,
  type Calibration,
  type CalibrationAgreement,
  type Estimate,
  type JudgeBiasReport,
} from '../../../shared/api/calibration'
import type { IccValue } from '../../../shared/api/review'
import { table, usageError, type CliRuntime } from '../runtime'

/**
 * `review bias <setId>`: each judge's leniency, verbosity and same-family flags against the
 * clinicians; `review calibrate --sets 1,2`: an isotonic map from the jury to the clinicians with
 * before/after on held-out items; `review calibrations`: the stored maps.
 */

const num = (x: number, digits = 2) => x.toFixed(digits)
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`

function estimateText(e: Estimate | null, fmt: (x: number) => string = signed): string {
  if (!e) return '-'
  return e.ci95 ? `${fmt(e.value)} [${fmt(e.ci95[0])}, ${fmt(e.ci95[1])}]` : `${fmt(e.value)} (no interval)`
}

function wholeNumber(value: string, what: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value)))
    throw usageError(`${what}: "${value}" is not a whole number ≥ ${min}`)
  return Number(value)
}

function idList(value: string, what: string): number[] {
  return value.split(',').map((p) => wholeNumber(p.trim(), what, 1))
}

export function biasText(r: JudgeBiasReport): string {
  const rows = r.judges.map((j) => [
    j.judge,
    j.family === null ? '-' : `${j.family}${j.familySource === 'name' ? ' (from name)' : ''}`,
    j.items,
    estimateText(j.leniency),
    estimateText(j.verbosity),
    estimateText(j.lengthCorrelation),
    j.sameFamily.length
      ? j.sameFamily.map((s) => `${s.modelKey}: ${estimateText(s.excess)}`).join('; ')
      : '-',
  ])
  return [
    `Judge bias in review set ${r.setId}, against the clinicians on ${r.ratedItems} rated items (95% intervals: ${r.resamples} bootstrap resamples over items, seed ${r.seed}).`,
    'Leniency: mean of (judge − clinicians) on the 1–5 composite; above 0 the judge is more generous.',
    'Verbosity: correlation of (judge − clinicians) with response length in words; above 0 it rewards length more than the clinicians do.',
    '',
    table(
      [
        'judge',
        'family',
        'items',
        'leniency',
        'verbosity r',
        'r with length',
        'same family as (extra leniency)',
      ],
      rows,
    ),
    '',
    `Evaluated models: ${r.models.map((m) => `${m.modelKey} (${m.family}${m.familySource === 'name' ? ', from name' : ''}; ${m.items} rated)`).join(', ') || 'none'}`,
    `Jury settings: same-family judges are ${r.excludeSameFamily ? 'left out of an evaluated model’s jury scores' : 'counted (jury settings --exclude-same-family leaves them out)'}.`,
    ...r.notes.map((n) => `Note: ${n}`),
  ].join('\n')
}

const icc = (v: IccValue | null) =>
  v === null ? '-' : v.ci95 ? `${num(v.value)} [${num(v.ci95[0])}, ${num(v.ci95[1])}]` : num(v.value)

function agreementCells(label: string, a: CalibrationAgreement): (string | number)[] {
  return [
    label,
    a.items,
    signed(a.meanDifference),
    num(a.meanAbsError),
    num(a.rmse),
    icc(a.iccAbsolute),
    icc(a.iccConsistency),
  ]
}

export function calibrationText(c: Calibration): string {
  return [
    `${c.id === null ? 'Fitted (not stored)' : `Calibration ${c.id}`}: ${c.label}, ${c.items} items of benchmark${c.benchmarks.length === 1 ? '' : 's'} ${c.benchmarks.join(', ')}.`,
    `Agreement with the clinicians on held-out items (${c.folds}-fold cross-validation, seed ${c.seed}):`,
    table(
      [
        'jury',
        'items',
        'mean diff',
        'MAE',
        'RMSE',
        'ICC(2,1) absolute [95% CI]',
        'ICC(3,k) z-scored [95% CI]',
      ],
      [agreementCells('raw', c.before), agreementCells('calibrated', c.after)],
    ),
    `Map (jury composite → clinicians' mean): ${c.map.x.map((x, i) => `${num(x)}→${num(c.map.y[i] as number)}`).join(', ')}`,
    ...[c.before.note, c.after.note].filter((n): n is string => n !== null).map((n) => `Note: ${n}`),
    c.id === null
      ? 'Not stored (--dry-run).'
      : `The leaderboard shows calibrated jury scores beside the raw ones with: leaderboard --calibration ${c.id}`,
  ].join('\n')
}

export function registerCalibrationCommands(review: Command, rt: CliRuntime): void {
  review
    .command('bias <setId>')
    .description(
      "each judge's leniency (vs the clinicians, with CI), verbosity (correlation with response length) and same-family flags",
    )
    .option('--seed <n>', 'bootstrap seed (default 0)')
    .action(async (idText: string, opts: { seed?: string }, cmd: Command) => {
      const seed = opts.seed === undefined ? 0 : wholeNumber(opts.seed, '--seed', 0)
      const { judgeBiasReport } = await import('../../review/bias')
      const r = judgeBiasReport(rt.context(cmd).db, wholeNumber(idText, 'setId', 1), seed)
      rt.print(cmd, r, biasText)
    })

  review
    .command('calibrate')
    .description(
      "fit a monotone (isotonic) map from the jury's composite to the clinicians' mean on review sets (at least 30 rated items), with agreement before and after on held-out items",
    )
    .requiredOption('--sets <ids>', 'review sets to fit on, comma-separated (e.g. 1,2)')
    .option('--folds <k>', 'cross-validation folds (default 5)')
    .option('--seed <n>', 'fold assignment seed (default 0)')
    .option('--dry-run', 'report without storing the map')
    .action(async (opts: { sets: string; folds?: string; seed?: string; dryRun?: boolean }, cmd: Command) => {
      const parsed = CalibrateInput.safeParse({
        setIds: idList(opts.sets, '--sets'),
        ...(opts.folds !== undefined ? { folds: wholeNumber(opts.folds, '--folds', 2) } : {}),
        ...(opts.seed !== undefined ? { seed: wholeNumber(opts.seed, '--seed', 0) } : {}),
        save: !opts.dryRun,
      })
      if (!parsed.success)
        throw usageError(
          parsed.error.issues.map((i) => `--${String(i.path[0] ?? 'input')}: ${i.message}`).join('; '),
        )
      const { calibrateJury } = await import('../../review/calibration')
      rt.print(cmd, calibrateJury(rt.context(cmd).db, parsed.data), calibrationText)
    })

  review
    .command('calibrations')
    .description('stored calibrations of the jury to the clinicians, newest first')
    .action(async (_opts, cmd: Command) => {
      const { listCalibrations } = await import('../../review/calibration')
      rt.print(cmd, listCalibrations(rt.context(cmd).db), (list) =>
        list.length === 0
          ? 'No calibration yet. Fit one with: review calibrate --sets <ids> (at least 30 rated items).'
          : list.map(calibrationText).join('\n\n'),
      )
    })
}
