import type { Command } from 'commander'
import {
  CreateReviewSetInput,
  type AgreementFigure,
  type ReviewAgreement,
  type ReviewSetSummary,
} from '../../../shared/api/review'
import type { ImportRatingsResult } from '../../review/import-csv'
import { leagueText } from './agreement-stats'
import { createReviewSet, listReviewSets, reviewSetSummary } from '../../review/sets'
import { table, usageError, wholeNumberArg, type CliRuntime } from '../runtime'
import { registerReviewPacketCommands } from './review-packets'
import { registerCalibrationCommands } from './review-calibration'

/**
 * `review sets`, `review create-set`, `review import <csv>`, `review agreement <setId>`: blind
 * clinician review sets, ratings collected outside the app, and jury–clinician agreement.
 */

function setsText(sets: ReviewSetSummary[]): string {
  if (sets.length === 0)
    return 'No review set yet. Make one from a scored run: review create-set --run <id> --benchmark <id> --size <n>'
  return table(
    ['set', 'run', 'benchmark', 'items', 'models', 'seed', 'criteria', 'reviewers (rated)', 'created'],
    sets.map((s) => [
      s.id,
      s.runName ? `${s.runId} ${s.runName}` : s.runId,
      s.benchmarkId,
      s.size,
      s.models,
      s.seed,
      s.criteria.map((c) => c.id).join(', '),
      s.progress.map((p) => `${p.reviewer} (${p.rated}/${s.size})`).join(', ') || '-',
      s.createdAt,
    ]),
  )
}

const num = (x: number) => x.toFixed(2)

function figureCells(f: AgreementFigure): (string | number)[] {
  if (f.status !== 'ok' || !f.icc3 || !f.icc3k)
    return [f.scope, f.items, f.raters, 'not computable', '', '', f.reason ?? '']
  const ci = (v: AgreementFigure['icc3']) => (v?.ci95 ? `[${num(v.ci95[0])}, ${num(v.ci95[1])}]` : '-')
  return [
    f.scope,
    f.items,
    f.raters,
    `${num(f.icc3k.value)} ${ci(f.icc3k)}`,
    f.icc3k.label,
    `${num(f.icc3.value)} ${ci(f.icc3)}`,
    f.reviewers.join(', '),
  ]
}

export function agreementText(a: ReviewAgreement): string {
  const headers = [
    'scope',
    'items',
    'raters',
    'ICC(3,k) [95% CI]',
    'Koo & Li',
    'ICC(3,1) [95% CI]',
    'reviewers / why not',
  ]
  return [
    `Review set ${a.setId}: ${a.counts.items} items, ${a.counts.rated} rated by a clinician, ${a.counts.juryScored} scored by the jury. Ratings z-scored per rater; figures need at least ${a.minItems} items.`,
    `Reviewers: ${a.reviewers.map((r) => `${r.reviewer} (${r.rated}/${a.counts.items})`).join(', ') || 'none yet'}`,
    '',
    'Jury vs clinicians',
    table(headers, a.juryVsClinicians.map(figureCells)),
    '',
    'Clinician–clinician baseline',
    table(headers, a.clinicianBaseline.map(figureCells)),
    ...a.identityWarnings.map((w) => `\nWarning: ${w.message}.`),
    '',
    leagueText(a.league),
  ].join('\n')
}

function importText(r: ImportRatingsResult): string {
  return [
    `Imported ${r.rows} ratings of ${r.items} items from ${r.file}${r.replaced ? ` (${r.replaced} replaced)` : ''}.`,
    `Reviewers: ${r.reviewers.join(', ')}${r.createdReviewers.length ? ` (new: ${r.createdReviewers.join(', ')})` : ''}`,
  ].join('\n')
}

export function registerReviewCommands(program: Command, rt: CliRuntime): void {
  const review = program
    .command('review')
    .description('blind clinician review: review sets, ratings, jury–clinician agreement')

  review
    .command('sets')
    .description('review sets with each reviewer’s progress')
    .action((_opts, cmd: Command) => {
      rt.print(cmd, listReviewSets(rt.context(cmd).db), setsText)
    })

  review
    .command('create-set')
    .description(
      'sample --size outputs of a run on one open-ended benchmark, stratified across its models, with --seed (same arguments, same set)',
    )
    .requiredOption('--run <id>', 'the run')
    .requiredOption('--benchmark <id>', 'an open-ended benchmark of the run (with jury criteria)')
    .requiredOption('--size <n>', 'how many outputs to review')
    .option('--seed <n>', 'sampling seed (default 0)')
    .option('--show-gold', 'show reviewers the gold (reference) answer next to each output')
    .action(
      (
        opts: { run: string; benchmark: string; size: string; seed?: string; showGold?: boolean },
        cmd: Command,
      ) => {
        const parsed = CreateReviewSetInput.safeParse({
          runId: wholeNumberArg(opts.run, '--run', 1),
          benchmarkId: opts.benchmark,
          size: wholeNumberArg(opts.size, '--size', 1),
          ...(opts.seed !== undefined ? { seed: wholeNumberArg(opts.seed, '--seed', 0) } : {}),
          showGold: !!opts.showGold,
        })
        if (!parsed.success)
          throw usageError(
            parsed.error.issues.map((i) => `--${String(i.path[0] ?? 'input')}: ${i.message}`).join('; '),
          )
        const db = rt.context(cmd).db
        const summary = reviewSetSummary(db, createReviewSet(db, parsed.data))
        rt.print(cmd, summary, (s) =>
          [
            `Created review set ${s.id}: ${s.size} outputs of run ${s.runId} on ${s.benchmarkId}, across ${s.models} models (seed ${s.seed}).`,
            `Criteria: ${s.criteria.map((c) => c.id).join(', ')}${s.showGold ? '; reviewers see the gold answer' : ''}. Reviewers rate it in the app (Review); on another workstation: review packet export; ratings made elsewhere: review import <csv>.`,
          ].join('\n'),
        )
      },
    )

  review
    .command('import <csv>')
    .description(
      'import ratings made outside the app: a CSV with columns reviewer, item (run item id), criterion, score (1–5) and optionally comment; all or nothing',
    )
    .option('--replace', 'overwrite ratings already in the database')
    .action(async (file: string, opts: { replace?: boolean }, cmd: Command) => {
      const { importRatings } = await import('../../review/import-csv')
      const result = await importRatings(rt.context(cmd).db, file, { replace: !!opts.replace })
      rt.print(cmd, result, importText)
    })

  registerReviewPacketCommands(review, rt)

  review
    .command('agreement <setId>')
    .description(
      'jury vs clinicians and the clinician baseline (ICC(3,k) on z-scored ratings per criterion and overall, 95% CIs) and the scorer league; <setId> "all" or "1,2,…" gives the league pooled across those sets',
    )
    .action(async (idText: string, _opts, cmd: Command) => {
      const db = rt.context(cmd).db
      const [{ allReviewSetIds, scorerLeague }, { reviewAgreement }] = await Promise.all([
        import('../../review/league'),
        import('../../review/report'),
      ])
      if (idText === 'all' || idText.includes(',')) {
        const ids =
          idText === 'all'
            ? allReviewSetIds(db)
            : idText.split(',').map((t) => wholeNumberArg(t.trim(), 'setId', 1))
        rt.print(cmd, scorerLeague(db, ids), leagueText)
        return
      }
      const a = reviewAgreement(db, wholeNumberArg(idText, 'setId', 1))
      rt.print(cmd, a, agreementText)
    })

  registerCalibrationCommands(review, rt)
}
