import type { Command } from 'commander'
import type { PairwiseComparison } from '../../../shared/api/leaderboard'
import { formatInterval, formatP, formatSigned } from '../../../shared/statistics-text'
import type { CompareReport } from '../../analysis/compare-file'
import type { TableLeaderboard } from '../../analysis/helm-table'
import type { PowerReport } from '../../analysis/power-report'
import { loadResources } from '../../benchmarks/resources'
import { findResourcesDir } from '../../app/paths'
import type { AdjustMethod } from '../../stats/multiplicity'
import { table, usageError, type CliRuntime } from '../runtime'

/**
 * `stats compare`, `stats leaderboard`, `stats power`: the leaderboard's statistics on files, without
 * a database — paired comparisons with intervals and adjusted p-values, MedHELM's leaderboard from
 * a HELM table, McNemar sample size and power.
 */

const n3 = (x: number | null) => (x === null ? '-' : x.toFixed(3))

function adjustOption(v: string | undefined): AdjustMethod {
  if (v === undefined || v === 'holm' || v === 'bh') return v ?? 'holm'
  throw usageError(`--adjust: "${v}" is not a method; use holm (default) or bh (Benjamini–Hochberg)`)
}

function numberOption(flag: string, v: string | undefined, check: (x: number) => boolean, what: string) {
  if (v === undefined) return undefined
  const x = Number(v)
  if (v.trim() === '' || !Number.isFinite(x) || !check(x)) throw usageError(`${flag}: "${v}" is not ${what}`)
  return x
}

const probability = (x: number) => x > 0 && x < 1

export function pairwiseLines(pairs: readonly PairwiseComparison[]): string {
  return table(
    ['scope', 'comparison', 'A − B', '95% CI', 'test', 'p', 'adjusted p'],
    pairs.map((p) => [
      p.name,
      `${p.modelA} vs ${p.modelB}`,
      formatSigned(p.difference, 3),
      formatInterval(p.ci, 3),
      p.testName,
      p.p === null ? '-' : formatP(p.p).replace(/^p [=<] /, (m) => (m.includes('<') ? '< ' : '')),
      p.pAdjusted === null
        ? '-'
        : formatP(p.pAdjusted).replace(/^p [=<] /, (m) => (m.includes('<') ? '< ' : '')),
    ]),
  )
}

function compareText(r: CompareReport): string {
  const dropped = r.benchmarks.filter((b) => b.dropped.length)
  return [
    `Paired comparison of ${r.models.length} models on ${r.benchmarks.length} benchmarks (${r.file}); 95% percentile bootstrap, ${r.statistics.resamples} resamples, seed ${r.statistics.seed}; p adjusted by ${r.statistics.adjustName}.`,
    '',
    table(
      ['benchmark', 'model', 'n', 'mean', '95% CI'],
      r.cells.map((c) => [c.benchmark, c.model, c.n, n3(c.mean), c.ci ? formatInterval(c.ci, 3) : '-']),
    ),
    '',
    pairwiseLines(r.pairwise),
    ...dropped.map(
      (b) =>
        `Note: ${b.benchmark}: compared on the ${b.common} instances every model has; dropped ${b.dropped.map((d) => `${d.model} ${d.dropped}`).join(', ')}.`,
    ),
    ...r.pairwise.filter((p) => p.sentence).map((p) => `Significant: ${p.sentence}.`),
  ].join('\n')
}

function tableText(r: TableLeaderboard): string {
  const cats = r.models[0]?.categories ?? []
  return [
    `Leaderboard from ${r.file}: ${r.columns.length} benchmarks, ${r.models.length} models (scores on 0–1; ${r.columns.filter((c) => c.rescaled).length} columns rescaled from 1–5).`,
    '',
    table(
      [
        'model',
        'mean win rate',
        'published',
        'win-rate SD',
        'pairwise win SD',
        'macro-average',
        'SD',
        ...cats.map((c) => c.name),
      ],
      r.models.map((m) => [
        m.model,
        n3(m.winRate),
        n3(m.publishedWinRate),
        n3(m.winRateSd),
        n3(m.pairwiseWinSd),
        n3(m.macro.mean),
        n3(m.macro.sd),
        ...m.categories.map((c) => n3(c.macro.mean)),
      ]),
    ),
    ...r.notes.map((n) => `Note: ${n}`),
  ].join('\n')
}

export function registerStatsCommands(stats: Command, rt: CliRuntime): void {
  stats
    .command('compare <scores>')
    .description(
      'paired comparison of models from a CSV benchmark,instance_id,model,score: n, mean and 95% CI per model × benchmark; every pair with difference, CI, exact McNemar (0/1) or sign-flip permutation test, raw and adjusted p',
    )
    .option('--adjust <method>', 'multiplicity adjustment: holm (default) or bh (Benjamini–Hochberg)')
    .option('--seed <n>', 'seed of the bootstrap and permutation draws')
    .action(async (file: string, opts: { adjust?: string; seed?: string }, cmd: Command) => {
      const adjust = adjustOption(opts.adjust)
      const seed = numberOption(
        '--seed',
        opts.seed,
        (x) => Number.isInteger(x) && x >= 0,
        'a whole number ≥ 0',
      )
      const { compareScoresFile } = await import('../../analysis/compare-file')
      const report = compareScoresFile(file, { adjust, ...(seed !== undefined ? { seed } : {}) })
      rt.print(cmd, report, compareText)
    })

  stats
    .command('leaderboard <table>')
    .description(
      'MedHELM leaderboard from a HELM table (model, then "<Benchmark> - <Metric>" columns) or a WardEval HELM export (.json, `export helm`): mean win rate and its SD, macro-average and SD, per-category averages',
    )
    .action(async (file: string, _opts, cmd: Command) => {
      const res = loadResources(findResourcesDir())
      const board = /\.json$/i.test(file)
        ? (await import('../../export/helm-read')).leaderboardFromHelmFile(file, res)
        : (await import('../../analysis/helm-table')).leaderboardFromTable(file, res)
      rt.print(cmd, board, tableText)
    })

  stats
    .command('power')
    .description(
      'McNemar sample size (Connor 1987) for a difference in accuracy worth detecting, or with --n the smallest detectable difference',
    )
    .option('--baseline <p>', 'accuracy of the reference model (0–1)')
    .option('--difference <d>', 'smallest difference in accuracy worth detecting (0–1)')
    .option(
      '--discordance <psi>',
      'expected share of instances where exactly one model is right (default: from independent errors)',
    )
    .option('--n <instances>', 'paired instances available: gives the smallest detectable difference')
    .option('--power <p>', 'power, default 0.8')
    .option('--alpha <a>', 'two-sided significance level, default 0.05')
    .action(async (opts: Record<string, string | undefined>, cmd: Command) => {
      const q = {
        baseline: numberOption(
          '--baseline',
          opts.baseline,
          (x) => x >= 0 && x <= 1,
          'an accuracy between 0 and 1',
        ),
        difference: numberOption(
          '--difference',
          opts.difference,
          probability,
          'a difference between 0 and 1',
        ),
        discordance: numberOption(
          '--discordance',
          opts.discordance,
          (x) => x > 0 && x <= 1,
          'a share between 0 and 1',
        ),
        n: numberOption('--n', opts.n, (x) => Number.isInteger(x) && x > 0, 'a whole number of instances'),
        power: numberOption('--power', opts.power, probability, 'a power between 0 and 1'),
        alpha: numberOption('--alpha', opts.alpha, probability, 'a level between 0 and 1'),
      }
      let report: PowerReport
      try {
        const { powerReport } = await import('../../analysis/power-report')
        report = powerReport(Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)))
      } catch (e) {
        if (e instanceof RangeError) throw usageError(`stats power: ${e.message}`)
        throw e
      }
      rt.print(cmd, report, (r) => r.sentence)
    })
}
