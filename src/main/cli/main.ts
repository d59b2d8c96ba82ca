import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { APP_VERSION } from '../app/version'

/**
 * The `wardeval` command. `--version` / `-V` answer before anything else is loaded; every other
 * invocation loads the program (commander, the core) and runs it.
 */
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${APP_VERSION}\n`)
} else {
  void import('./program').then(({ runCli, processIo }) =>
    runCli(
      argv,
      processIo(),
      // Bundled (out/main/cli.js): the worker threads are the built ones beside it. From source
      // (tsx, `npm run cli`): the TypeScript sources, the default.
      existsSync(join(__dirname, 'import-worker.js'))
        ? {
            workers: {
              import: join(__dirname, 'import-worker.js'),
              bootstrap: join(__dirname, 'bootstrap-worker.js'),
              charts: join(__dirname, 'chart-worker.js'),
            },
          }
        : {},
    ).then(
      (code) => {
        process.exitCode = code
      },
      (e: unknown) => {
        process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`)
        process.exitCode = 1
      },
    ),
  )
}
