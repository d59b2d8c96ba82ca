import type { Command } from 'commander'
import type { ClinicianPairBaseline, ScorerAgreement, ScorerLeague } from '../../../shared/api/review'
import type { AgreementFileReport, AgreementGroup } from '../../review/files/agreement-file'
import type { IccFileReport } from '../../review/files/icc-file'
import { table, usageError, type CliRuntime } from '../runtime'

/**
 * `stats icc <ratings.csv>` and `stats agreement <ratings.csv>`: agreement statistics on rating files
 * made anywhere (src/main/review/files/). Every ICC is printed with its Koo & Li label, judged on the
 * whole 95 % interval.
 */

const f2 = (x: number) => x.toFixed(2)
const f3 = (x: number) => x.toFixed(3)
const ci = (c: readonly [number, number] | null, f = f2) => (c ? `[${f(c[0])}, ${f(c[1])}]` : '-')
const pValue = (p: number | null) => (p === null ? '-' : p < 0.001 ? '<0.001' : p.toFixed(3))

export function iccText(r: IccFileReport): string {
  const lines = [
    `${r.file}: ${r.targets} targets × ${r.raters} raters (${r.raterNames.join(', ')}); scores accepted from ${r.scale[0]} to ${r.scale[1]}.`,
  ]
  if (r.dropped)
    lines.push(
      `Left out as incomplete (--drop-incomplete): ${r.dropped.targets.length} target(s)${r.dropped.targets.length ? ` (${r.dropped.targets.join(', ')})` : ''}, ${r.dropped.raters.length} rater(s)${r.dropped.raters.length ? ` (${r.dropped.raters.join(', ')})` : ''}, ${r.dropped.ratings} rating(s).`,
    )
  lines.push(
    '',
    table(
      ['form', 'model', 'ICC', '95% CI', 'F', 'df1', 'df2', 'p', 'Koo & Li (on the CI)'],
      r.forms.map((f) => [
        f.form,
        f.model,
        f3(f.value),
        ci(f.ci, f3),
        f.f === null ? '-' : f2(f.f),
        f.df1,
        Number.isInteger(f.df2) ? f.df2 : f2(f.df2),
        pValue(f.p),
        f.label,
      ]),
    ),
    '',
    'Koo & Li (2016): below 0.5 poor, 0.5–0.75 moderate, 0.75–0.9 good, above 0.9 excellent, judged on the whole 95% CI.',
  )
  return lines.join('\n')
}

export function scorerCells(s: ScorerAgreement): (string | number)[] {
  if (s.status !== 'ok' || !s.icc3k) return [s.name, s.items, 'not computable', '', '', '', s.reason ?? '']
  return [
    s.name,
    s.items,
    `${f2(s.icc3k.value)} ${ci(s.icc3k.ci95)}`,
    s.icc3k.label,
    s.spearman ? `${f2(s.spearman.rho)} ${ci(s.spearman.ci95)}` : '-',
    s.kappa ? `${f2(s.kappa.value)} ${ci(s.kappa.ci95)}` : (s.kappaNote ?? '-'),
    '',
  ]
}

export const SCORER_HEADERS = [
  'scorer',
  'n',
  'ICC(3,k) [95% CI]',
  'Koo & Li',
  'Spearman ρ [95% CI]',
  'weighted κ [95% CI]',
  'why not',
]

export function baselineLine(b: ClinicianPairBaseline): string {
  return b.status === 'ok' ? `Baseline — ${b.verdict}` : b.verdict
}

/** The scorer league: rank, scorer, figures, then each scorer's verdict and the baseline. */
export function leagueText(l: ScorerLeague): string {
  const sets =
    l.setIds.length === 1 ? `review set ${l.setIds[0]}` : `review sets ${l.setIds.join(', ')} pooled`
  if (l.scorers.length === 0)
    return `Scorer league (${sets}): no automatic scorer has scored these items yet — score the run with the jury (and text metrics) first.`
  return [
    `Scorer league (${sets}): which automatic scorer agrees best with the clinicians, by MedHELM's method, best first. ${l.ratedItems} items rated by a clinician on every criterion; κ bootstrap seed ${l.seed}.`,
    l.headline,
    table(
      ['#', ...SCORER_HEADERS],
      l.scorers.map((s, i) => [s.status === 'ok' ? i + 1 : '-', ...scorerCells(s)]),
    ),
    ...l.scorers.filter((s) => s.status === 'ok').map((s) => `- ${s.verdict}`),
    baselineLine(l.baseline),
  ].join('\n')
}

function groupText(g: AgreementGroup, title: string): string {
  return [
    `${title}: ${g.instances} instances rated by clinicians and the jury; ${g.clinicians} clinicians.`,
    table(SCORER_HEADERS, [scorerCells(g.jury)]),
    g.jury.verdict,
    baselineLine(g.baseline),
  ].join('\n')
}

export function agreementText(r: AgreementFileReport): string {
  const out = [
    `${r.file}: MedHELM's method — per instance the clinicians' mean composite (mean of accuracy, completeness, clarity) against the jury's composite, each z-scored, ICC(3,k); Spearman ρ with a Fisher-z CI; quadratic-weighted κ on rounded scores with a bootstrap CI (seed ${r.seed}).`,
  ]
  if (r.only) out.push(`Limited to: ${r.only.join(', ')}.`)
  for (const w of r.warnings) out.push(`Note: ${w}`)
  const { withoutJury, withoutClinician } = r.unmatched
  if (withoutJury.length)
    out.push(
      `Left out, no jury row: ${withoutJury.length} instance(s) (${withoutJury.slice(0, 10).join(', ')}${withoutJury.length > 10 ? ', …' : ''}).`,
    )
  if (withoutClinician.length)
    out.push(
      `Left out, no clinician rating: ${withoutClinician.length} instance(s) (${withoutClinician.slice(0, 10).join(', ')}${withoutClinician.length > 10 ? ', …' : ''}).`,
    )
  out.push('', groupText(r.overall, r.benchmarks.length ? 'All benchmarks pooled' : 'Overall'))
  for (const g of r.benchmarks) out.push('', groupText(g, `Benchmark ${g.benchmark}`))
  return out.join('\n')
}

function parseScale(text: string): [number, number] {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*[-:]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text)
  const lo = Number(m?.[1])
  const hi = Number(m?.[2])
  if (!m || !(lo < hi)) throw usageError(`--scale: "${text}" is not a range such as 1-5 (lowest-highest)`)
  return [lo, hi]
}

function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw usageError(`--seed: "${text}" is not a whole number ≥ 0`)
  return Number(text)
}

/** The `stats` command (made by the scoring commands), or a new one. */
function statsCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'stats') ??
    program.command('stats').description('statistics and metrics on files, without a run')
  )
}

export function registerAgreementStatsCommands(program: Command, rt: CliRuntime): void {
  const stats = statsCommand(program)
  stats
    .command('icc <ratings>')
    .description(
      'the six Shrout & Fleiss ICCs (with F, df, p, 95% CI and Koo & Li label) of a long CSV target,rater,score',
    )
    .option(
      '--drop-incomplete',
      'leave out targets and raters with missing ratings (and report them) instead of refusing',
    )
    .option('--scale <min-max>', 'the scores’ range; others are refused (default 0-10)')
    .action(async (file: string, opts: { dropIncomplete?: boolean; scale?: string }, cmd: Command) => {
      const { iccFromFile } = await import('../../review/files/icc-file')
      const report = iccFromFile(file, {
        dropIncomplete: !!opts.dropIncomplete,
        ...(opts.scale !== undefined ? { scale: parseScale(opts.scale) } : {}),
      })
      rt.print(cmd, report, iccText)
    })
  stats
    .command('agreement <ratings>')
    .description(
      'MedHELM’s jury–clinician agreement of a CSV instance_id,rater,kind,accuracy,completeness,clarity[,benchmark]: ICC(3,k) on z-scored composites, clinician baseline, Spearman ρ, weighted κ — overall and per benchmark',
    )
    .option('--benchmark <ids>', 'pool only these benchmarks (comma-separated)')
    .option('--seed <n>', 'seed of the κ bootstrap (default 0)')
    .action(async (file: string, opts: { benchmark?: string; seed?: string }, cmd: Command) => {
      const benchmarks = opts.benchmark
        ?.split(',')
        .map((b) => b.trim())
        .filter(Boolean)
      const { agreementFromFile } = await import('../../review/files/agreement-file')
      const report = agreementFromFile(file, {
        ...(benchmarks ? { benchmarks } : {}),
        ...(opts.seed !== undefined ? { seed: parseSeed(opts.seed) } : {}),
      })
      rt.print(cmd, report, agreementText)
    })
}
