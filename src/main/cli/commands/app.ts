import type { Command } from 'commander'
import { APP_NAME, APP_VERSION } from '../../app/version'
import { dbInfo } from '../../db/info'
import { table, type CliRuntime } from '../runtime'

export function registerAppCommands(program: Command, rt: CliRuntime): void {
  program
    .command('version')
    .description('print the WardEval version')
    .action((_opts, cmd: Command) => {
      rt.print(
        cmd,
        { name: APP_NAME, version: APP_VERSION, node: process.versions.node },
        (v) => `${v.name} ${v.version}`,
      )
    })

  const db = program.command('db').description('the WardEval database')
  db.command('info')
    .description('database path, schema version and row counts per table')
    .action((_opts, cmd: Command) => {
      const ctx = rt.context(cmd)
      rt.print(cmd, dbInfo(ctx.db, ctx.dbPath), (info) =>
        [
          `Database:       ${info.path}`,
          `Schema version: ${info.schemaVersion} (latest ${info.latestSchemaVersion})`,
          `SQLite:         ${info.sqliteVersion}, journal ${info.journalMode}, ${info.sizeBytes} bytes`,
          '',
          table(
            ['table', 'rows'],
            info.tables.map((t) => [t.table, t.rows]),
          ),
        ].join('\n'),
      )
    })
}
