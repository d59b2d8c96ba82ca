import { Command, CommanderError } from 'commander'
import { ensureSamples } from '../benchmarks/samples'
import { displayLines, displayText } from '../../shared/display-text'
import { isAppError } from '../errors'
import { registerAppCommands } from './commands/app'
import { registerAuditCommands } from './commands/audit'
import { registerBenchmarksCommands } from './commands/benchmarks'
import { registerModelsCommands } from './commands/models'
import { registerScoringCommands } from './commands/scoring'
import { registerRunsCommands } from './commands/runs'
import { registerScoreCommands } from './commands/score'
import { registerLeaderboardCommands } from './commands/leaderboard'
import { registerReviewCommands } from './commands/review'
import { registerAgreementStatsCommands } from './commands/agreement-stats'
import { registerReportCommands } from './commands/report'
import { CliRuntime, type CliIo } from './runtime'
import { APP_VERSION } from '../app/version'

/** Commands that never open the database. */
const NO_DATABASE = new Set(['version', 'benchmarks formats', 'stats rouge'])

function commandPath(cmd: Command): string {
  const names: string[] = []
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name())
  return names.join(' ')
}

export function buildProgram(rt: CliRuntime): Command {
  const program = new Command('wardeval')
    .description('WardEval — evaluate language models on medical tasks (MedHELM), entirely on this machine.')
    .option('--db <file>', 'database file (default: WARDEVAL_DB, else the per-user app-data folder)')
    .option('--json', 'print machine-readable JSON')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => rt.io.stdout(s), writeErr: (s) => rt.io.stderr(s) })
  registerAppCommands(program, rt)
  registerBenchmarksCommands(program, rt)
  registerModelsCommands(program, rt)
  registerAuditCommands(program, rt)
  registerScoringCommands(program, rt)
  registerRunsCommands(program, rt)
  registerScoreCommands(program, rt)
  registerLeaderboardCommands(program, rt)
  registerReviewCommands(program, rt)
  registerAgreementStatsCommands(program, rt)
  registerReportCommands(program, rt)
  // A new database is ready whatever command opens it first: the samples are seeded before the
  // command runs, not when the benchmark list is first read.
  program.hook('preAction', async (_program, action) => {
    if (!NO_DATABASE.has(commandPath(action))) await ensureSamples(rt.context(action))
  })
  return program
}

/** This process's own terminal, for the `wardeval` command and `WardEval --cli`. */
export function processIo(): CliIo {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  }
}

/** Runs one CLI invocation; returns the exit code (0 ok, 1 failure, 2 usage). */
export async function runCli(
  argv: string[],
  io: CliIo,
  host: ConstructorParameters<typeof CliRuntime>[1] = {},
): Promise<number> {
  // `wardeval --version` / `-V` alone (commander's version option would also claim subcommands'
  // own --version, such as `import … --version 2`).
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout(`${APP_VERSION}\n`)
    return 0
  }
  const rt = new CliRuntime(io, host)
  const program = buildProgram(rt)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return 0
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return thrown.exitCode === 0 ? 0 : 2
    }
    const e = rt.describe(thrown)
    if (isAppError(e)) {
      io.stderr(`error (${e.code}): ${displayLines(e.message)}\n`)
      for (const issue of e.issues ?? [])
        io.stderr(`  ${displayText(issue.path.join('.'))}: ${displayText(issue.message)}\n`)
      return e.code === 'invalid_input' ? 2 : 1
    }
    io.stderr(`error: ${displayLines(e instanceof Error ? e.message : String(e))}\n`)
    return 1
  } finally {
    await rt.settle()
    try {
      rt.close()
    } catch (e) {
      // The command's work is committed; only the final checkpoint or session note failed.
      io.stderr(`warning: ${e instanceof Error ? e.message : String(e)}\n`)
    }
  }
}
