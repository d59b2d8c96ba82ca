import { Command, CommanderError } from 'commander'
import { displayLines, displayText } from '../../shared/display-text'
import { isAppError } from '../errors'
import { registerAppCommands } from './commands/app'
import { registerBenchmarksCommands } from './commands/benchmarks'
import { registerModelsCommands } from './commands/models'
import { registerScoringCommands } from './commands/scoring'
import { registerRunsCommands } from './commands/runs'
import { registerScoreCommands } from './commands/score'
import { registerLeaderboardCommands } from './commands/leaderboard'
import { registerReviewCommands } from './commands/review'
import { CliRuntime, type CliIo } from './runtime'

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
  registerScoringCommands(program, rt)
  registerRunsCommands(program, rt)
  registerScoreCommands(program, rt)
  registerLeaderboardCommands(program, rt)
  registerReviewCommands(program, rt)
  return program
}

/** Runs one CLI invocation; returns the exit code (0 ok, 1 failure, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const rt = new CliRuntime(io)
  const program = buildProgram(rt)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return 0
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return e.exitCode === 0 ? 0 : 2
    }
    if (isAppError(e)) {
      io.stderr(`error (${e.code}): ${displayLines(e.message)}\n`)
      for (const issue of e.issues ?? [])
        io.stderr(`  ${displayText(issue.path.join('.'))}: ${displayText(issue.message)}\n`)
      return e.code === 'invalid_input' ? 2 : 1
    }
    io.stderr(`error: ${displayLines(e instanceof Error ? e.message : String(e))}\n`)
    return 1
  } finally {
    rt.close()
  }
}
