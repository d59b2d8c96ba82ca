import type { Command } from 'commander'
import type { AppContext, ContextOptions } from '../app/open-context'
import type { LoadEventContract } from '../app/events'
import { dirname } from 'node:path'
import { hostFolders, resolveDbPath } from '../app/paths'
import type { Anchoring } from '../audit/anchoring'
import type { ImportWorker } from '../benchmarks/worker-rows'
import type { WorkerScripts } from '../app/worker-scripts'
import { displayLines, displayText } from '../../shared/display-text'
import { AppError } from '../errors'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: NodeJS.ProcessEnv
  /** True when stdout is an interactive terminal (progress bars instead of plain lines). */
  isTTY: boolean
}

export interface GlobalOptions {
  db?: string
  json?: boolean
}

/**
 * What every command gets: the IO to print to, the global flags, and a lazily opened AppContext
 * (commands such as `version` never touch the database).
 */
export class CliRuntime {
  private ctx: AppContext | undefined
  private anchoring: Anchoring | undefined
  private describeError: ((e: unknown) => unknown) | undefined
  private importWorker: ImportWorker | undefined
  /**
   * `defaults`: how this host runs the core (the bundled CLI passes its built worker scripts and
   * how to load its built event contract when a command first emits an event).
   */
  constructor(
    readonly io: CliIo,
    private readonly defaults: CliContextOptions = {},
  ) {
    this.importWorker = defaults.importWorker
  }

  /** The folders of the context this program opens (shipped data, worker scripts), before it opens it. */
  host(): { resourcesDir: string; workers: WorkerScripts } {
    return hostFolders(this.defaults)
  }

  /** The import worker started with the process, if any: handed over once (the import command). */
  takeImportWorker(): ImportWorker | undefined {
    const w = this.importWorker
    this.importWorker = undefined
    return w
  }

  globals(cmd: Command): GlobalOptions {
    return cmd.optsWithGlobals() as GlobalOptions
  }

  /**
   * Opens the database (once; the program does it before any command that needs it, so the core
   * is imported only then). From then on a run or scoring pass that ends writes a signed anchor,
   * and anchors are forwarded if forwarding is set (settle waits for those deliveries).
   */
  async open(cmd: Command): Promise<AppContext> {
    if (!this.ctx) {
      const [{ openAppContext }, { startAnchoring }, { describeDatabaseError }, { readOnlyReason }] =
        await Promise.all([
          import('../app/open-context'),
          import('../audit/anchoring'),
          import('../db/errors'),
          import('../db/open'),
        ])
      const ctx = openAppContext({
        ...this.defaults,
        loadEventContract: this.defaults.loadEventContract ?? (await importedEventContract()),
        dbPath: this.globals(cmd).db,
        env: this.io.env,
      })
      this.ctx = ctx
      this.describeError = (e) => describeDatabaseError(e, ctx.dbPath, readOnlyReason(ctx.db))
      this.anchoring = startAnchoring(ctx, { onError: (m) => this.io.stderr(`warning: ${m}\n`) })
    }
    return this.ctx
  }

  /** The database the program opened before this command's action ran (see open). */
  context(_cmd: Command): AppContext {
    if (!this.ctx) throw new Error('internal: this command was declared as not using the database')
    return this.ctx
  }

  /** The data folder (where the installation key and anchors live), without opening the database. */
  dataDir(cmd: Command): string {
    const path = resolveDbPath(this.globals(cmd).db, this.io.env)
    return path === ':memory:' ? '' : dirname(path)
  }

  /** Waits for background work started by the command (anchor deliveries) to end. */
  async settle(): Promise<void> {
    await this.anchoring?.settle()
  }

  /**
   * Prints `value` as JSON with --json, otherwise the human text `render` makes of it, without
   * control characters (names come from users and servers: an escape sequence is not printed).
   */
  print<T>(cmd: Command, value: T, render: (v: T) => string): void {
    if (this.globals(cmd).json) this.io.stdout(JSON.stringify(value, null, 2) + '\n')
    else this.io.stdout(displayLines(render(value)).replace(/\n?$/, '\n'))
  }

  /** A failure as the user should read it: database errors become one plain line. */
  describe(e: unknown): unknown {
    return this.describeError ? this.describeError(e) : e
  }

  close(): void {
    this.anchoring?.stop()
    this.anchoring = undefined
    const ctx = this.ctx
    this.ctx = undefined
    this.describeError = undefined
    ctx?.close()
  }
}

/** What the host sets for every context the CLI opens (see CliRuntime's constructor). */
export type CliContextOptions = Omit<ContextOptions, 'dbPath' | 'env'> & {
  /** Default (runs from source: tsx, tests): the contract imported before the command runs. */
  loadEventContract?: LoadEventContract
  /** An import worker started with the process for an `import` command (./main.ts). */
  importWorker?: ImportWorker
}

async function importedEventContract(): Promise<LoadEventContract> {
  const { eventContract } = await import('../../shared/api/contract')
  return () => eventContract
}

export function usageError(message: string): AppError {
  return new AppError('invalid_input', message)
}

/** A whole-number argument or option (`what` names it in the usage error), at least `min`. */
export function wholeNumberArg(value: string, what: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value)))
    throw usageError(`${what}: "${value}" is not a whole number ≥ ${min}`)
  return Number(value)
}

/** A fixed-width text table for human output; cells without control characters (displayText). */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : displayText(String(c)))))
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}
