import type { Command } from 'commander'
import {
  costText,
  SetPriceInput,
  type Leaderboard,
  type LeaderboardRow,
  type ModelPrice,
} from '../../../shared/api/leaderboard'
import { computeLeaderboardAsync } from '../../analysis/leaderboard'
import { listPrices, removePrice, setPrice } from '../../analysis/prices'
import { AppError } from '../../errors'
import { formatInterval, STATISTIC_EXPLANATIONS } from '../../../shared/statistics-text'
import { table, usageError, type CliRuntime } from '../runtime'

/**
 * `leaderboard`: models ranked by MedHELM's mean win rate, with macro-averages per category, mean
 * runtime and cost; `prices`, `prices set`, `prices remove`: USD per 1M tokens per model key.
 */

const num = (x: number | null, digits = 3) => (x === null ? '-' : x.toFixed(digits))

export function runList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim())
  for (const p of parts)
    if (!/^\d+$/.test(p) || Number(p) < 1)
      throw usageError(`--runs: "${p}" is not a run id (write positive whole numbers, e.g. --runs 1,2)`)
  return parts.map(Number)
}

function usd(value: string, flag: string): number {
  if (!/^\d+(\.\d+)?$/.test(value.trim()))
    throw usageError(`${flag}: "${value}" is not an amount in USD per 1M tokens (e.g. 0.15)`)
  return Number(value)
}

function calibrationOption(value: string | boolean): number | 'latest' {
  if (value === true || value === 'latest') return 'latest'
  if (typeof value === 'string' && /^\d+$/.test(value) && Number(value) >= 1) return Number(value)
  throw usageError(`--calibration: "${String(value)}" is not a calibration id (see \`review calibrations\`)`)
}

function macroText(m: LeaderboardRow['macro']): string {
  if (m.mean === null) return '-'
  return m.sd === null ? num(m.mean) : `${num(m.mean)} ± ${num(m.sd)}`
}

export function leaderboardText(lb: Leaderboard): string {
  if (lb.rows.length === 0)
    return lb.categoryId
      ? `No scored results in category ${lb.categoryId}.`
      : 'No run is scored yet. Run models on benchmarks (`run`), score the run (`score <runId>`), then look again.'
  const cats = lb.categories.filter(
    (c) => c.columns > 0 && (lb.categoryId === null || c.id === lb.categoryId),
  )
  const showCats = lb.categoryId === null && cats.length > 0
  const ranked = table(
    [
      'rank',
      'rank interval',
      'tie group',
      'model',
      'mean win rate',
      '95% CI',
      'macro-average',
      '95% CI',
      ...(showCats ? cats.map((c) => c.name) : []),
      'runtime (s)',
      'runtime win rate',
      'model cost',
      'jury cost',
    ],
    lb.rows.map((r) => [
      r.rank,
      `${r.rankInterval.lo}–${r.rankInterval.hi}`,
      r.tieGroup,
      r.modelKey,
      num(r.winRate),
      r.winRateCi ? formatInterval(r.winRateCi) : '-',
      macroText(r.macro),
      r.macroCi ? formatInterval(r.macroCi) : '-',
      ...(showCats ? cats.map((c) => num(r.categories.find((g) => g.id === c.id)?.macro.mean ?? null)) : []),
      r.runtime.meanMs === null ? '-' : (r.runtime.meanMs / 1000).toFixed(2),
      num(r.runtime.winRate),
      costText(r.cost.model),
      costText(r.cost.jury),
    ]),
  )
  const columns = new Map(lb.columns.map((c) => [c.key, c]))
  const cal = lb.calibration
  const cells = table(
    [
      'benchmark',
      'metric',
      'model',
      'run',
      'mean',
      '95% CI',
      'n',
      '0-1',
      ...(cal ? [`calibrated (calibration ${cal.id})`] : []),
      'scored',
      'unscored',
      'failed',
      'missing',
    ],
    lb.cells.map((c) => {
      const col = columns.get(c.columnKey)!
      return [
        col.benchmarkId,
        col.metric,
        c.modelKey,
        c.runId,
        num(c.value),
        c.ci ? `${formatInterval(c.ci, 3)}${c.wide ? ' wide' : ''}` : '-',
        c.n,
        num(c.normalized),
        ...(cal ? [c.calibrated ? `${num(c.calibrated.value)} (${num(c.calibrated.normalized)})` : '-'] : []),
        `${c.counts.scored}/${c.counts.total}`,
        c.counts.unscored,
        c.counts.failed,
        c.counts.missing,
      ]
    }),
  )
  const head = `Leaderboard${lb.categoryId ? ` — category ${lb.categoryId}` : ''} over ${lb.columns.length} benchmarks, runs ${lb.runs
    .filter((r) => r.used)
    .map((r) => r.id)
    .join(', ')}`
  const st = lb.statistics
  const method = `${st.view === 'paired' ? 'Paired view (common instances)' : "Unpaired view (each model's own instances)"}; 95% percentile bootstrap, ${st.resamples} resamples, seed ${st.seed}; p adjusted by ${st.adjustName} over ${lb.pairwise.filter((p) => p.p !== null).length} comparisons.`
  const significant = lb.pairwise.filter((p) => p.sentence).map((p) => `Significant: ${p.sentence}.`)
  return [
    head,
    method,
    '',
    ranked,
    '',
    cells,
    '',
    ...(significant.length ? significant : ['No pair of models differs significantly on this data.']),
    `Tie groups: ${STATISTIC_EXPLANATIONS.tieGroup}`,
    ...(lb.notes.length ? ['', ...lb.notes.map((n) => `Note: ${n}`)] : []),
  ].join('\n')
}

function pricesText(prices: ModelPrice[]): string {
  if (prices.length === 0)
    return 'No prices set. Set one with: prices set <modelKey> --input <USD per 1M tokens> --output <USD per 1M tokens>'
  return table(
    ['model', 'input (USD / 1M tokens)', 'output (USD / 1M tokens)', 'updated'],
    prices.map((p) => [p.modelKey, p.inputPerMTok, p.outputPerMTok, p.updatedAt]),
  )
}

export function registerLeaderboardCommands(program: Command, rt: CliRuntime): void {
  program
    .command('leaderboard')
    .description(
      "models ranked by MedHELM's mean win rate over benchmarks, with macro-averages, runtime and cost (default: each model × benchmark's latest scored run)",
    )
    .option('--runs <ids>', 'take the results from these runs only, comma-separated (e.g. 1,2)')
    .option('--category <id>', 'only this taxonomy category’s benchmarks (see `taxonomy`)')
    .option(
      '--calibration [id]',
      'also show jury scores calibrated to the clinicians by this stored calibration (default: the newest; see `review calibrate`); raw scores are kept',
    )
    .option(
      '--unpaired',
      'each model on its own instances (labelled unpaired; default: common instances only)',
    )
    .option('--adjust <method>', 'multiplicity adjustment of pairwise p-values: holm (default) or bh')
    .option('--seed <n>', 'seed of the bootstrap and permutation draws')
    .action(
      async (
        opts: {
          runs?: string
          category?: string
          unpaired?: boolean
          adjust?: string
          seed?: string
          calibration?: string | boolean
        },
        cmd: Command,
      ) => {
        if (opts.adjust !== undefined && opts.adjust !== 'holm' && opts.adjust !== 'bh')
          throw usageError(
            `--adjust: "${opts.adjust}" is not a method; use holm (default) or bh (Benjamini–Hochberg)`,
          )
        if (opts.seed !== undefined && !/^\d{1,9}$/.test(opts.seed))
          throw usageError(`--seed: "${opts.seed}" is not a whole number ≥ 0`)
        const lb = await computeLeaderboardAsync(rt.context(cmd), {
          ...(opts.runs !== undefined ? { runIds: runList(opts.runs) } : {}),
          ...(opts.category !== undefined ? { categoryId: opts.category } : {}),
          ...(opts.unpaired ? { unpaired: true } : {}),
          ...(opts.adjust !== undefined ? { adjust: opts.adjust as 'holm' | 'bh' } : {}),
          ...(opts.seed !== undefined ? { seed: Number(opts.seed) } : {}),
          ...(opts.calibration !== undefined ? { calibration: calibrationOption(opts.calibration) } : {}),
        })
        rt.print(cmd, lb, leaderboardText)
      },
    )

  const prices = program
    .command('prices')
    .description('prices per 1M input and output tokens per model key, for the leaderboard’s cost')
    .action((_opts, cmd: Command) => rt.print(cmd, listPrices(rt.context(cmd).db), pricesText))

  prices
    .command('set <modelKey>')
    .description('set the price of a model key (e.g. the hospital’s GPU charge-back), in USD per 1M tokens')
    .requiredOption('--input <usd>', 'USD per 1M input (prompt) tokens')
    .requiredOption('--output <usd>', 'USD per 1M output (completion) tokens')
    .action((modelKey: string, opts: { input: string; output: string }, cmd: Command) => {
      const parsed = SetPriceInput.safeParse({
        modelKey,
        inputPerMTok: usd(opts.input, '--input'),
        outputPerMTok: usd(opts.output, '--output'),
      })
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        throw usageError(`${issue.path.join('.') || 'price'}: ${issue.message}`)
      }
      const saved = setPrice(rt.context(cmd).db, parsed.data)
      rt.print(
        cmd,
        saved,
        (p) =>
          `Price of ${p.modelKey}: $${p.inputPerMTok} per 1M input tokens, $${p.outputPerMTok} per 1M output tokens.`,
      )
    })

  prices
    .command('remove <modelKey>')
    .description('remove the price of a model key (its cost becomes unknown)')
    .action((modelKey: string, _opts, cmd: Command) => {
      if (!removePrice(rt.context(cmd).db, modelKey))
        throw new AppError('not_found', `prices: no price is set for ${modelKey} (see \`prices\`)`)
      rt.print(cmd, { removed: modelKey }, (r) => `Removed the price of ${r.removed}.`)
    })
}
