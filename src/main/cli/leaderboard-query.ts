import type { Command } from 'commander'
import type { LeaderboardQuery } from '../../shared/api/leaderboard'
import { usageError } from './runtime'

/**
 * The leaderboard's selection and statistics options, shared by every command that computes a
 * leaderboard (`leaderboard`, `export leaderboard`, `export helm`): same flags, same checks.
 */

export interface LeaderboardOptions {
  runs?: string
  category?: string
  unpaired?: boolean
  adjust?: string
  seed?: string
  calibration?: string | boolean
}

export function runList(value: string, flag = '--runs'): number[] {
  const parts = value.split(',').map((s) => s.trim())
  for (const p of parts)
    if (!/^\d+$/.test(p) || Number(p) < 1)
      throw usageError(`${flag}: "${p}" is not a run id (write positive whole numbers, e.g. ${flag} 1,2)`)
  return parts.map(Number)
}

function calibrationOption(value: string | boolean): number | 'latest' {
  if (value === true || value === 'latest') return 'latest'
  if (typeof value === 'string' && /^\d+$/.test(value) && Number(value) >= 1) return Number(value)
  throw usageError(`--calibration: "${String(value)}" is not a calibration id (see \`review calibrations\`)`)
}

export function addLeaderboardOptions(cmd: Command): Command {
  return cmd
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
}

type Query = Omit<LeaderboardQuery, 'jobId'>

export function leaderboardQuery(opts: LeaderboardOptions): Query {
  if (opts.adjust !== undefined && opts.adjust !== 'holm' && opts.adjust !== 'bh')
    throw usageError(
      `--adjust: "${opts.adjust}" is not a method; use holm (default) or bh (Benjamini–Hochberg)`,
    )
  if (opts.seed !== undefined && !/^\d{1,9}$/.test(opts.seed))
    throw usageError(`--seed: "${opts.seed}" is not a whole number ≥ 0`)
  return {
    ...(opts.runs !== undefined ? { runIds: runList(opts.runs) } : {}),
    ...(opts.category !== undefined ? { categoryId: opts.category } : {}),
    ...(opts.unpaired ? { unpaired: true } : {}),
    ...(opts.adjust !== undefined ? { adjust: opts.adjust as 'holm' | 'bh' } : {}),
    ...(opts.seed !== undefined ? { seed: Number(opts.seed) } : {}),
    ...(opts.calibration !== undefined ? { calibration: calibrationOption(opts.calibration) } : {}),
  }
}
