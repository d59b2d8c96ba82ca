import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { APP_VERSION } from '../app/version'
import type { EventContract } from '../../shared/api/contract'
import type { CliContextOptions } from './runtime'
import { builtWorkerScripts } from '../app/worker-scripts'

/**
 * How the bundled CLI (out/main/cli.js) runs the core: the worker threads are the built ones
 * beside it, and the event contract (zod) is the built `event-contract.js` entry, required only
 * when a command first emits an event (a command that only reads never loads it). From source
 * (tsx, `npm run cli`): the TypeScript sources, the defaults.
 */
function bundledHost(): CliContextOptions {
  if (!existsSync(join(__dirname, 'import-worker.js'))) return {}
  const requireBuilt = createRequire(__filename)
  return {
    workers: builtWorkerScripts(__dirname),
    loadEventContract: () =>
      (requireBuilt(join(__dirname, 'event-contract.js')) as { eventContract: EventContract }).eventContract,
  }
}

/**
 * The `wardeval` command. `--version` / `-V` answer before anything else is loaded; every other
 * invocation loads the program (commander, the core) and runs it.
 */
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${APP_VERSION}\n`)
} else {
  void run().then(
    (code) => {
      process.exitCode = code
    },
    (e: unknown) => {
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`)
      process.exitCode = 1
    },
  )
}

async function run(): Promise<number> {
  const host = bundledHost()
  // An import's worker thread starts first, so that its start and the loading of its modules
  // overlap the loading of the program and the opening of the database (bench/cli-import.ts).
  const { targetCommand } = await import('./command-index')
  const help = argv.includes('--help') || argv.includes('-h')
  if (host.workers && targetCommand(argv) === 'import' && !help)
    host.importWorker = (await import('../benchmarks/worker-rows')).startImportWorker(host.workers.import)
  const { runCli, processIo } = await import('./program')
  return runCli(argv, processIo(), host)
}
