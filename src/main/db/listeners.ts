import type { Db } from './open'

/** Listeners per database handle: told of something that happened through that connection. */
export function dbListeners<T>() {
  const byDb = new WeakMap<Db, Set<(value: T) => void>>()
  return {
    /** Adds a listener; returns the function that removes it. */
    on(db: Db, listener: (value: T) => void): () => void {
      const set = byDb.get(db) ?? new Set<(value: T) => void>()
      set.add(listener)
      byDb.set(db, set)
      return () => set.delete(listener)
    },
    emit(db: Db, value: T): void {
      for (const l of byDb.get(db) ?? []) l(value)
    },
  }
}
