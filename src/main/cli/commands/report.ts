import type { Command } from 'commander'
import { EXAMPLES_WARNING } from '../../report/examples'
import { writeReport, type WrittenReport } from '../../report/write'
import { usageError, type CliRuntime } from '../runtime'
import { addLeaderboardOptions, leaderboardQuery, type LeaderboardOptions } from '../leaderboard-query'

interface ReportFlags extends LeaderboardOptions {
  out: string
  includeExamples?: string
  gpuHourUsd?: string
}

function options(opts: ReportFlags) {
  if (opts.includeExamples !== undefined && !/^\d{1,3}$/.test(opts.includeExamples))
    throw usageError(`--include-examples: "${opts.includeExamples}" is not a number of examples (0–999)`)
  if (opts.gpuHourUsd !== undefined && !/^\d+(\.\d+)?$/.test(opts.gpuHourUsd))
    throw usageError(`--gpu-hour-usd: "${opts.gpuHourUsd}" is not an amount in USD per GPU-hour (e.g. 2.5)`)
  const { out, includeExamples, gpuHourUsd, ...selection } = opts
  return {
    out,
    ...leaderboardQuery(selection),
    ...(includeExamples !== undefined ? { includeExamples: Number(includeExamples) } : {}),
    ...(gpuHourUsd !== undefined ? { gpuHourUsd: Number(gpuHourUsd) } : {}),
  }
}

function writtenText(r: WrittenReport): string {
  return [
    `Wrote ${r.file} (${r.format.toUpperCase()}, ${r.bytes} bytes)`,
    `${r.title} — ${r.scope}`,
    `Signed ${r.signedAt} by ${r.fingerprint}; the signature is embedded in the file (check with: verify ${r.file}).`,
  ].join('\n')
}

/** `report --out <file.html|file.pdf>`: a signed, self-contained report for a governance committee. */
export function registerReportCommands(program: Command, rt: CliRuntime): void {
  const report = program
    .command('report')
    .description(
      'a signed, self-contained report for a governance committee (HTML or PDF by the file extension): summary, scope, coverage, leaderboard with intervals, cost, jury, clinician agreement, privacy, limitations',
    )
    .requiredOption('--out <file>', 'the report file: name it .html or .pdf')
  addLeaderboardOptions(report)
    .option(
      '--gpu-hour-usd <usd>',
      'price local models by GPU time: USD per GPU-hour × measured generation time',
    )
    .option(
      '--include-examples <n>',
      'add n instance texts with the models’ answers per benchmark (they may contain patient data; default none)',
    )
    .action(async (opts: ReportFlags, cmd: Command) => {
      const o = options(opts)
      if (o.includeExamples) rt.io.stderr(`warning: ${EXAMPLES_WARNING}\n`)
      const r = await writeReport(rt.context(cmd), o)
      rt.print(cmd, r, writtenText)
    })
}
