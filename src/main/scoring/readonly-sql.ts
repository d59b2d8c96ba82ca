import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * Runs SQL read-only against a user's SQLite file (the EHRSQL database) with a time limit.
 *
 * better-sqlite3 is synchronous and has no progress handler, so a runaway query (a model's cross
 * join) cannot be interrupted on the thread that runs it. Each runner therefore owns a worker
 * thread that opens the file with `readonly: true, fileMustExist: true` and `PRAGMA query_only`;
 * statements that are not readers (INSERT, ATTACH, PRAGMA writes, …) are refused before they run.
 * When a query exceeds its time limit the worker is terminated and a fresh one is started for the
 * next query. Queries run one at a time, in call order.
 */

/** A SQLite value as the worker returns it: integers as bigint (exact), blobs as bytes. */
export type SqlValue = null | number | bigint | string | Uint8Array

export type SqlRunResult =
  | { ok: true; rows: SqlValue[][] }
  | {
      ok: false
      kind: 'error' | 'timeout' | 'not_read_only' | 'too_many_rows' | 'database_unavailable'
      message: string
    }

export interface ReadOnlySqlOptions {
  /** Per-query time limit (default 10 s). */
  timeoutMs?: number
  /** More rows than this is refused rather than held in memory (default 200,000). */
  maxRows?: number
  /** better-sqlite3 addon built for this runtime (the Electron app passes its own; see AppContext). */
  nativeBinding?: string
}

interface WorkerReply {
  id: number
  result: SqlRunResult
}

const WORKER_SOURCE = /* js */ `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
let db = null;
try {
  db = new Database(workerData.dbFile, Object.assign({ readonly: true, fileMustExist: true }, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}));
  db.pragma('query_only = ON');
  // Opening is lazy: read the schema now so that a file that is not a database fails here.
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  parentPort.postMessage({ type: 'ready' });
} catch (e) {
  if (db) db.close();
  db = null;
  parentPort.postMessage({ type: 'open_error', message: String((e && e.message) || e) });
}
parentPort.on('message', (msg) => {
  const reply = (result) => parentPort.postMessage({ type: 'result', id: msg.id, result });
  if (!db) return reply({ ok: false, kind: 'database_unavailable', message: 'the database is not open' });
  try {
    const stmt = db.prepare(msg.sql);
    if (!stmt.reader) return reply({ ok: false, kind: 'not_read_only', message: 'only statements that return rows (SELECT …) are run' });
    stmt.raw(true);
    stmt.safeIntegers(true);
    const rows = [];
    for (const row of stmt.iterate()) {
      rows.push(row);
      if (rows.length > msg.maxRows) return reply({ ok: false, kind: 'too_many_rows', message: 'the query returned more than ' + msg.maxRows + ' rows' });
    }
    reply({ ok: true, rows });
  } catch (e) {
    reply({ ok: false, kind: 'error', message: String((e && e.message) || e) });
  }
});
`

function betterSqlitePath(): string {
  // The core is CommonJS everywhere it runs (the bundled app, tsx, vitest, Playwright).
  return createRequire(__filename).resolve('better-sqlite3')
}

export class ReadOnlySqlRunner {
  private worker: Worker | undefined
  private ready: Promise<SqlRunResult | null> | undefined
  private nextId = 1
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false
  private readonly timeoutMs: number
  private readonly maxRows: number
  private readonly nativeBinding: string | undefined

  constructor(
    readonly dbFile: string,
    options: ReadOnlySqlOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000
    this.maxRows = options.maxRows ?? 200_000
    this.nativeBinding = options.nativeBinding
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
    await this.stopWorker()
  }

  private async stopWorker(): Promise<void> {
    const w = this.worker
    this.worker = undefined
    this.ready = undefined
    if (w) await w.terminate()
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
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { dbFile: this.dbFile, modulePath: betterSqlitePath(), nativeBinding: this.nativeBinding },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    })
    worker.unref()
    this.worker = worker
    this.ready = new Promise((resolve) => {
      const onMessage = (m: { type: string; message?: string }) => {
        if (m.type === 'ready') {
          worker.off('message', onMessage)
          resolve(null)
        } else if (m.type === 'open_error') {
          worker.off('message', onMessage)
          resolve({
            ok: false,
            kind: 'database_unavailable',
            message: m.message ?? 'cannot open the database',
          })
        }
      }
      worker.on('message', onMessage)
      worker.once('error', (e) => resolve({ ok: false, kind: 'database_unavailable', message: e.message }))
    })
    return this.ready
  }

  private async runNow(sql: string, timeoutMs: number): Promise<SqlRunResult> {
    if (this.closed) return { ok: false, kind: 'database_unavailable', message: 'the SQL runner is closed' }
    const startError = await this.start()
    if (startError) {
      await this.stopWorker()
      return startError
    }
    const worker = this.worker as Worker
    const id = this.nextId++
    return new Promise<SqlRunResult>((resolve) => {
      let settled = false
      const finish = (r: SqlRunResult) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        worker.off('message', onMessage)
        worker.off('error', onError)
        worker.off('exit', onExit)
        resolve(r)
      }
      const onMessage = (m: { type: string } & Partial<WorkerReply>) => {
        if (m.type === 'result' && m.id === id && m.result) finish(m.result)
      }
      const onError = (e: Error) => {
        void this.stopWorker()
        finish({ ok: false, kind: 'error', message: e.message })
      }
      const onExit = () => {
        this.worker = undefined
        this.ready = undefined
        finish({ ok: false, kind: 'error', message: 'the query worker stopped' })
      }
      const timer = setTimeout(() => {
        void this.stopWorker()
        finish({ ok: false, kind: 'timeout', message: `the query ran longer than ${timeoutMs} ms` })
      }, timeoutMs)
      worker.on('message', onMessage)
      worker.on('error', onError)
      worker.on('exit', onExit)
      worker.postMessage({ id, sql, maxRows: this.maxRows })
    })
  }
}
