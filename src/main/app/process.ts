import { hostname } from 'node:os'

/** True when a process with this id exists on this machine (EPERM: it exists, owned by another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Whether the process that wrote `host` and `pid` is certainly gone: it ran on this machine and
 * no process has that id now. A process of another machine (a shared folder) is never presumed dead.
 */
export function processGone(host: string, pid: number): boolean {
  return host === hostname() && Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)
}
