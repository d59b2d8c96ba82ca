import type { ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { isWalDatabase, residentBytes, spawnSqlProcess } from './sql-process'

/**
 * Runs SQL read-only against a user's SQLite file (the EHRSQL database) with a time limit, in a
 * child process that is killed when the limit passes (./sql-process.ts): the query really stops,
 * its lock is released, and the command that started it can exit.
 *
 * - The file is opened `readonly` with `PRAGMA query_only`; statements that are not readers
 *   (INSERT, ATTACH, PRAGMA writes, …) are refused before they run.
 * - Nothing appears beside the user's file: a rollback-journal database opened read-only creates no
 *   `-wal`/`-shm`; a WAL-mode database (whose readers need a `-shm` beside it) is read from a private
 *   copy of the file and its `-wal` in a temporary folder, removed on close.
 * - Results are capped in rows and in bytes; the child's memory is limited, and a query that would
 *   allocate more fails alone (`out_of_memory`) — the calling process is untouched.
 * Queries run one at a time, in call order; a child is started on demand and reused.
 */

/** A SQLite value as the child returns it: integers as bigint (exact), blobs as bytes. */
export type SqlValue = null | number | bigint | string | Uint8Array

export type SqlFailureKind =
  | 'error'
  | 'timeout'
  | 'not_read_only'
  | 'too_many_rows'
  | 'too_large'
  | 'out_of_memory'
  | 'database_unavailable'

export type SqlRunResult =
  { ok: true; rows: SqlValue[][] } | { ok: false; kind: SqlFailureKind; message: string }

export interface ReadOnlySqlOptions {
  /** Per-query time limit (default 10 s). */
  timeoutMs?: number
  /** More rows than this is refused rather than held in memory (default 200,000). */
  maxRows?: number
  /** More result bytes than this is refused (default 32 MiB). */
  maxBytes?: number
  /** Memory the query process may use (default 1024 MiB). */
  memoryLimitMb?: number
  /** better-sqlite3 addon built for this runtime (the Electron app passes its own; see AppContext). */
  nativeBinding?: string
}

type ChildMessage =
  | { type: 'ready' }
  | { type: 'open_error'; message: string }
  | { type: 'result'; id: number; result: SqlRunResult }

const WATCH_MS = 100

export class ReadOnlySqlRunner {
  private child: ChildProcess | undefined
  private ready: Promise<SqlRunResult | null> | undefined
  private copyDir: string | undefined
  private nextId = 1
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false
  private readonly timeoutMs: number
  private readonly maxRows: number
  private readonly maxBytes: number
  private readonly memoryLimitMb: number
  private readonly nativeBinding: string | undefined

  constructor(
    readonly dbFile: string,
    options: ReadOnlySqlOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000
    this.maxRows = options.maxRows ?? 200_000
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024
    this.memoryLimitMb = options.memoryLimitMb ?? 1024
    this.nativeBinding = options.nativeBinding
  }

  /** The query process's id while one is running (tests check that it is gone). */
  get pid(): number | undefined {
    return this.child?.pid
  }

  /** Runs one statement; never throws for SQL or database problems, it reports them. */
  run(sql: string, timeoutMs: number = this.timeoutMs): Promise<SqlRunResult> {
    const next = this.queue.then(() => this.runNow(sql, timeoutMs))
    this.queue = next.catch(() => undefined)
    return next
  }

  async close(): Promise<void> {
    this.closed = true
    await this.queue
    await this.stopChild()
    if (this.copyDir) rmSync(this.copyDir, { recursive: true, force: true })
    this.copyDir = undefined
  }

  /** Kills the child (if any) and waits until it has exited. */
  private async stopChild(): Promise<void> {
    const c = this.child
    this.child = undefined
    this.ready = undefined
    if (!c || c.exitCode !== null || c.signalCode !== null) return
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()))
    c.kill('SIGKILL')
    await exited
  }

  /** The file the child opens: the user's own, or a private copy of a WAL-mode database. */
  private openableFile(): string {
    if (!isWalDatabase(this.dbFile)) return this.dbFile
    if (!this.copyDir) {
      this.copyDir = mkdtempSync(join(tmpdir(), 'wardeval-sql-'))
      const copy = join(this.copyDir, basename(this.dbFile))
      copyFileSync(this.dbFile, copy)
      if (existsSync(`${this.dbFile}-wal`)) copyFileSync(`${this.dbFile}-wal`, `${copy}-wal`)
    }
    return join(this.copyDir, basename(this.dbFile))
  }

  private start(): Promise<SqlRunResult | null> {
    if (this.ready) return this.ready
    if (!existsSync(this.dbFile)) {
      return Promise.resolve({
        ok: false,
        kind: 'database_unavailable',
        message: `database file not found: ${this.dbFile}`,
      })
    }
    let file: string
    try {
      file = this.openableFile()
    } catch (e) {
      const message = `cannot read ${this.dbFile}: ${(e as Error).message}`
      return Promise.resolve({ ok: false, kind: 'database_unavailable', message })
    }
    const child = spawnSqlProcess({
      dbFile: file,
      memoryLimitMb: this.memoryLimitMb,
      ...(this.nativeBinding ? { nativeBinding: this.nativeBinding } : {}),
    })
    child.stderr?.resume()
    this.child = child
    this.ready = new Promise((resolve) => {
      const unavailable = (message: string) => resolve({ ok: false, kind: 'database_unavailable', message })
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'ready') resolve(null)
        else if (m.type === 'open_error') unavailable(m.message)
      })
      child.once('error', (e) => unavailable(`cannot start the query process: ${e.message}`))
      child.once('exit', (code, signal) => unavailable(`the query process stopped (${signal ?? code})`))
    })
    this.idle(child)
    return this.ready
  }

  /** An idle child does not keep the process alive. */
  private idle(child: ChildProcess): void {
    child.unref()
    ;(child.channel as { unref?: () => void } | undefined)?.unref?.()
  }

  private busy(child: ChildProcess): void {
    child.ref()
    ;(child.channel as { ref?: () => void } | undefined)?.ref?.()
  }

  private async runNow(sql: string, timeoutMs: number): Promise<SqlRunResult> {
    if (this.closed) return { ok: false, kind: 'database_unavailable', message: 'the SQL runner is closed' }
    const startError = await this.start()
    if (startError) {
      await this.stopChild()
      return startError
    }
    const child = this.child as ChildProcess
    this.busy(child)
    const result = await this.exchange(child, sql, timeoutMs)
    if (result.ok || result.kind === 'error' || result.kind === 'not_read_only') this.idle(child)
    else await this.stopChild() // a fresh process for the next query: this one may hold memory
    return result
  }

  /** Sends one query and waits for its answer, the time limit, the memory limit or the child's death. */
  private exchange(child: ChildProcess, sql: string, timeoutMs: number): Promise<SqlRunResult> {
    const id = this.nextId++
    const limitBytes = this.memoryLimitMb * 1024 * 1024
    return new Promise<SqlRunResult>((resolve) => {
      let verdict: SqlRunResult | null = null
      const finish = (r: SqlRunResult) => {
        clearTimeout(timer)
        clearInterval(watch)
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(r)
      }
      /** Kills the child and answers once it has exited (its lock and memory are gone by then). */
      const stop = (r: SqlRunResult) => {
        verdict ??= r
        child.kill('SIGKILL')
      }
      const onMessage = (m: ChildMessage) => {
        if (m.type === 'result' && m.id === id) finish(m.result)
      }
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        this.child = undefined
        this.ready = undefined
        finish(
          verdict ?? {
            ok: false,
            kind: 'out_of_memory',
            message: `the query process stopped (${signal ?? code}): the query needed more memory than allowed (${this.memoryLimitMb} MiB)`,
          },
        )
      }
      const timer = setTimeout(
        () => stop({ ok: false, kind: 'timeout', message: `the query ran longer than ${timeoutMs} ms` }),
        timeoutMs,
      )
      const watch = setInterval(() => {
        const rss = child.pid === undefined ? null : residentBytes(child.pid)
        if (rss !== null && rss > limitBytes)
          stop({
            ok: false,
            kind: 'out_of_memory',
            message: `the query used more than ${this.memoryLimitMb} MiB of memory`,
          })
      }, WATCH_MS)
      child.on('message', onMessage)
      child.on('exit', onExit)
      child.send({ id, sql, maxRows: this.maxRows, maxBytes: this.maxBytes })
    })
  }
}
