import { Command, CommanderError, Help } from 'commander'
import { displayLines, displayText } from '../../shared/display-text'
import { isAppError } from '../errors'
import { COMMAND_GROUPS, commandName, groupsFor, targetCommand, type RegisterCommands } from './command-index'
import { CliRuntime, type CliIo } from './runtime'
import { APP_VERSION } from '../app/version'

/**
 * Commands the program opens the database for before they run: not the version, the import formats
 * and `stats …` on files, which never open it, nor `import`, which opens it itself once its file is
 * being read (commands/benchmarks.ts).
 */
function needsDatabase(path: string): boolean {
  return (
    path !== 'version' && path !== 'benchmarks formats' && !path.startsWith('stats ') && path !== 'import'
  )
}

function commandPath(cmd: Command): string {
  const names: string[] = []
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name())
  return names.join(' ')
}

/**
 * The program for `argv`: the command it names is registered in full (its module imported), every
 * other top-level command as a light stub from COMMAND_GROUPS, so `wardeval --help` and the
 * start-up of any one command do not load the whole core (docs/architecture.md, "The CLI").
 */
export async function buildProgram(rt: CliRuntime, argv: readonly string[] = []): Promise<Command> {
  const target = targetCommand(argv)
  const needed = target === null ? [] : groupsFor(target)
  const registers = new Map(await Promise.all(needed.map(async (g) => [g, await g.load()] as const)))
  const program = new Command('wardeval')
    .description('WardEval — evaluate language models on medical tasks (MedHELM), entirely on this machine.')
    .option('--db <file>', 'database file (default: WARDEVAL_DB, else the per-user app-data folder)')
    .option('--json', 'print machine-readable JSON')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => rt.io.stdout(s), writeErr: (s) => rt.io.stderr(s) })
  registerCommands(program, rt, registers)
  // A new database is ready whatever command opens it first: the samples are seeded before the
  // command runs, not when the benchmark list is first read.
  program.hook('preAction', async (_program, action) => {
    if (!needsDatabase(commandPath(action))) return
    const ctx = await rt.open(action)
    const { ensureSamples } = await import('../benchmarks/samples')
    await ensureSamples(ctx)
  })
  return program
}

/** Loaded groups register their commands; the others add stubs listed as COMMAND_GROUPS says. */
function registerCommands(
  program: Command,
  rt: CliRuntime,
  loaded: ReadonlyMap<(typeof COMMAND_GROUPS)[number], RegisterCommands>,
): void {
  const terms = new WeakMap<Command, string>()
  const help = new Help()
  program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd) ?? help.subcommandTerm(cmd) })
  for (const group of COMMAND_GROUPS) {
    const register = loaded.get(group)
    if (register) {
      register(program, rt)
      continue
    }
    for (const summary of group.commands) {
      if (program.commands.some((c) => c.name() === commandName(summary))) continue
      const stub = program.command(commandName(summary)).description(summary.description)
      terms.set(stub, summary.term)
    }
  }
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
  const program = await buildProgram(rt, argv)
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
