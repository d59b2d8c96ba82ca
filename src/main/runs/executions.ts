import type { Db } from '../db/open'
import type { RunExecution } from './engine'

/**
 * The runs executing in this process, per database handle. Kept apart from the engine so that
 * what only asks whether a run is executing here (listing runs, a run's detail) does not load the
 * engine and everything it sends requests with.
 */

const registries = new WeakMap<Db, Map<number, RunExecution>>()

/** This process's executions on `db`, by run id (the engine adds and removes them). */
export function executions(db: Db): Map<number, RunExecution> {
  let r = registries.get(db)
  if (!r) registries.set(db, (r = new Map()))
  return r
}

/** The execution of a run in this process, if any. */
export function activeExecution(db: Db, runId: number): RunExecution | undefined {
  return executions(db).get(runId)
}

export function isActive(db: Db): (runId: number) => boolean {
  return (id) => executions(db).has(id)
}

/**
 * Pauses every run executing in this process and waits until each has stopped (the app calls it
 * before it quits, so its runs are recorded as paused rather than interrupted).
 */
export async function pauseAllExecutions(db: Db): Promise<void> {
  const running = [...executions(db).values()]
  for (const r of running) r.pause()
  await Promise.all(running.map((r) => r.done))
}
