import type { Command } from 'commander'
import { displayLines, displayText } from '../../shared/display-text'
import { createAppContext, type AppContext } from '../app/context'
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
  constructor(readonly io: CliIo) {}

  globals(cmd: Command): GlobalOptions {
    return cmd.optsWithGlobals() as GlobalOptions
  }

  context(cmd: Command): AppContext {
    if (!this.ctx) this.ctx = createAppContext({ dbPath: this.globals(cmd).db, env: this.io.env })
    return this.ctx
  }

  /**
   * Prints `value` as JSON with --json, otherwise the human text `render` makes of it, without
   * control characters (names come from users and servers: an escape sequence is not printed).
   */
  print<T>(cmd: Command, value: T, render: (v: T) => string): void {
    if (this.globals(cmd).json) this.io.stdout(JSON.stringify(value, null, 2) + '\n')
    else this.io.stdout(displayLines(render(value)).replace(/\n?$/, '\n'))
  }

  close(): void {
    this.ctx?.close()
    this.ctx = undefined
  }
}

export function usageError(message: string): AppError {
  return new AppError('invalid_input', message)
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
