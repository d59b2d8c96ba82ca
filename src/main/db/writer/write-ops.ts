import type { Db } from '../open'

/**
 * A durable write described as data, so that it can be run by whichever connection commits it —
 * this thread's, or the writer thread's (./writer.ts) — and sent between threads. A write is a
 * short list of statements run in order inside the committing transaction; a parameter `{ ref: i }`
 * stands for the rowid the write's statement `i` inserted (a request, then its response).
 */
export type Param = string | number | bigint | null | { ref: number }

export interface Statement {
  sql: string
  params: Param[]
}

export interface Write {
  statements: Statement[]
  /** Which statement's change count is the write's result (default: the last). */
  result?: number
  /** The result must be exactly 1 row (a work item still pending): anything else is a repeat. */
  mustChange: boolean
}

interface Runnable {
  run(...params: unknown[]): { lastInsertRowid: number | bigint; changes: number }
}

/** The statements of one connection, prepared once each. */
export type StatementCache = Map<string, ReturnType<Db['prepare']>>

export function statementCache(): StatementCache {
  return new Map()
}

/** Runs one write on `db` (inside the caller's transaction); returns its result's change count. */
export function runWrite(db: Db, w: Write, cache: StatementCache): number {
  const ids: (number | bigint)[] = []
  const changes: number[] = []
  for (const s of w.statements) {
    let st = cache.get(s.sql)
    if (!st) cache.set(s.sql, (st = db.prepare(s.sql)))
    const params = s.params.map((p) => {
      if (p === null || typeof p !== 'object') return p
      const id = ids[p.ref]
      if (id === undefined) throw new Error(`write: parameter refers to statement ${p.ref}, not run before`)
      return id
    })
    const r = (st as unknown as Runnable).run(...params)
    ids.push(r.lastInsertRowid)
    changes.push(r.changes)
  }
  return changes[w.result ?? changes.length - 1] ?? 0
}

/** One write of several (their statements in order; the result is the last one's). */
export function allOf(writes: Write[], mustChange: boolean): Write {
  const statements: Statement[] = []
  for (const w of writes) {
    const base = statements.length
    for (const s of w.statements)
      statements.push({
        sql: s.sql,
        params: s.params.map((p) => (p !== null && typeof p === 'object' ? { ref: p.ref + base } : p)),
      })
  }
  return { statements, mustChange }
}
