import type { Interval } from '../../../shared/api/leaderboard'
import { formatInterval } from '../../../shared/statistics-text'

/** Number formats of the report (plain text, the same in HTML and PDF). */

export const dash = '—'

export function num(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? dash : x.toFixed(digits)
}

export function ci(x: Interval | null | undefined, digits = 2): string {
  return x ? formatInterval(x, digits) : dash
}

export function pct(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined ? dash : `${(100 * x).toFixed(digits)}%`
}

/** Bytes and lists as the app's screens and charts write them (one formatter: shared/format.ts). */
export { formatBytes as bytes, listText } from '../../../shared/format'

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

/** A date-time as "2026-12-05 02:17 UTC". */
export function when(iso: string | null | undefined): string {
  if (!iso) return dash
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}

export function short(hash: string | null | undefined, n = 16): string {
  return hash ? (hash.length > n ? `${hash.slice(0, n)}…` : hash) : dash
}
