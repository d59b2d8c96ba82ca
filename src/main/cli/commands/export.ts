import type { Command } from 'commander'
import { existsSync, statSync } from 'node:fs'
import { PATIENT_TEXT_WARNING, type ExportOutcome } from '../../../shared/api/export'
import { exportHelm, exportInstances, exportLeaderboard, HELM_DOCUMENT } from '../../export/exports'
import { checkFileTarget, checkFolderTarget } from '../../export/write'
import { addLeaderboardOptions, leaderboardQuery, type LeaderboardOptions } from '../leaderboard-query'
import { usageError, wholeNumberArg, type CliRuntime } from '../runtime'

/**
 * `export leaderboard`, `export instances`, `export helm`: results for analysts. Every target is
 * `--out`, refused if it exists unless `--force`; files appear only once complete.
 */

function format<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  const v = (value ?? fallback).toLowerCase()
  if (!(allowed as readonly string[]).includes(v))
    throw usageError(`--format: "${value}" is not a format here; use ${allowed.join(' or ')}`)
  return v as T
}

function outcomeText(what: string) {
  return (r: ExportOutcome & { runSpecs?: number }) =>
    `Wrote ${what} to ${r.file}: ${r.records} ${r.runSpecs === undefined ? 'records' : `models, ${r.runSpecs} run specs`}, ${r.bytes} bytes, sha256 ${r.sha256}.`
}

/** `--out` for HELM: a .json file, or a folder (existing, or a path ending in a separator) for HELM's layout. */
function helmTarget(out: string, force: boolean): { file: string } | { folder: string } {
  const isFolder =
    /[/\\]$/.test(out) || (existsSync(out) && statSync(out).isDirectory()) || !/\.json$/i.test(out)
  return isFolder ? { folder: checkFolderTarget(out, force) } : { file: checkFileTarget(out, force) }
}

/** A progress line on stderr when it is a terminal (and not --json); call the result with no argument to end it. */
function progressLine(rt: CliRuntime, cmd: Command, unit: string) {
  const show = rt.io.isTTY && !rt.globals(cmd).json
  let shown = false
  return {
    update: show
      ? (done: number, total: number | null) => {
          shown = true
          rt.io.stderr(
            `\r${done.toLocaleString('en-US')}${total === null ? '' : ` of ${total.toLocaleString('en-US')}`} ${unit}   `,
          )
        }
      : undefined,
    end: () => void (shown && rt.io.stderr('\n')),
  }
}

interface OutOptions {
  out: string
  force?: boolean
}

export function registerExportCommands(program: Command, rt: CliRuntime): void {
  const exp = program
    .command('export')
    .description(
      'results for analysts: a leaderboard (CSV, JSON), a run’s per-instance results (CSV, JSONL), HELM-shaped statistics',
    )

  addLeaderboardOptions(
    exp
      .command('leaderboard')
      .description(
        'the leaderboard (same numbers as `leaderboard`) as CSV (one row per model × benchmark, category and overall) or JSON (the `leaderboard --json` object with a meta block)',
      )
      .requiredOption('--out <file>', 'file to write')
      .option('--format <format>', 'csv (default) or json')
      .option('--force', 'overwrite --out if it exists'),
  ).action(async (opts: LeaderboardOptions & OutOptions & { format?: string }, cmd: Command) => {
    const fmt = format(opts.format, ['csv', 'json'] as const, 'csv')
    const query = leaderboardQuery(opts)
    const file = checkFileTarget(opts.out, opts.force === true)
    const bar = progressLine(rt, cmd, 'bootstrap resamples')
    const r = await exportLeaderboard(rt.context(cmd), query, fmt, file, bar.update)
    bar.end()
    rt.print(cmd, r, outcomeText(`the leaderboard (${fmt})`))
  })

  exp
    .command('instances')
    .description(
      'one run’s results per benchmark × instance × model: response sha256, every metric and every jury vote, failures as failures (CSV or JSONL)',
    )
    .requiredOption('--run <id>', 'the run (see `runs`)')
    .requiredOption('--out <file>', 'file to write')
    .option('--format <format>', 'csv (default) or jsonl')
    .option('--include-text', 'also write each prompt and response (may contain patient data; needs --yes)')
    .option('--yes', 'confirm writing prompts and responses with --include-text')
    .option('--force', 'overwrite --out if it exists')
    .action(
      async (
        opts: OutOptions & { run: string; format?: string; includeText?: boolean; yes?: boolean },
        cmd: Command,
      ) => {
        const runId = wholeNumberArg(opts.run, '--run', 1)
        const fmt = format(opts.format, ['csv', 'jsonl'] as const, 'csv')
        const file = checkFileTarget(opts.out, opts.force === true)
        if (opts.includeText) rt.io.stderr(`warning: ${PATIENT_TEXT_WARNING}\n`)
        const includeText = opts.includeText === true
        const bar = progressLine(rt, cmd, 'records')
        const r = await exportInstances(
          rt.context(cmd),
          { runId, format: fmt, file, includeText, confirmed: opts.yes === true },
          bar.update,
        )
        bar.end()
        rt.print(cmd, r, outcomeText(`the results of run ${runId} (${fmt})`))
      },
    )

  addLeaderboardOptions(
    exp
      .command('helm')
      .description(
        `HELM-shaped statistics (stats.json and run_spec.json per model × benchmark) of the leaderboard's cells, to set beside the public MedHELM leaderboard; --out a .json file, or a folder (HELM's layout plus ${HELM_DOCUMENT})`,
      )
      .requiredOption('--out <dir|file>', 'a .json file, or a folder')
      .option('--force', 'overwrite the file, or write into a folder that is not empty'),
  ).action(async (opts: LeaderboardOptions & OutOptions, cmd: Command) => {
    const query = leaderboardQuery(opts)
    const target = helmTarget(opts.out, opts.force === true)
    const bar = progressLine(rt, cmd, 'bootstrap resamples')
    const r = await exportHelm(rt.context(cmd), query, target, bar.update)
    bar.end()
    rt.print(cmd, r, outcomeText('HELM-shaped statistics'))
  })
}
