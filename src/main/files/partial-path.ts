import { randomBytes } from 'node:crypto'
import { threadId } from 'node:worker_threads'

/**
 * The temporary name a file is written under before it is renamed or linked into place. Unique
 * per process, thread and call: two workers of one process (same pid) writing the same target in
 * the same millisecond never share a temporary file.
 */
export function partialPath(target: string): string {
  return `${target}.${process.pid}-${threadId}-${randomBytes(6).toString('hex')}.partial`
}
