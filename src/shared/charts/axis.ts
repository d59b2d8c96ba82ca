/**
 * Axis domains and ticks scaled to the data, computed here (not left to the chart library) so the
 * screen and the report draw the same axis: a padded linear axis with round ticks, or — when the
 * values span more than two orders of magnitude — a log axis with a tick per power of ten.
 */

export interface AxisScale {
  kind: 'linear' | 'log'
  domain: [number, number]
  ticks: number[]
}

/** Values spanning more than this ratio (largest / smallest positive) get a log axis. */
export const LOG_RATIO = 100

const clean = (x: number) => Number(x.toPrecision(12))

/** A round step (1, 2 or 5 × 10^k) near `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw))
  const f = raw / p
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p
}

function linearAxis(lo: number, hi: number, nonNegative: boolean): AxisScale {
  const span = hi - lo || Math.abs(hi) || 1
  let a = lo - span * 0.08
  const b = hi + span * 0.08
  if (nonNegative && a < 0) a = 0
  const step = niceStep((b - a) / 5)
  const start = clean(Math.floor(a / step) * step)
  const end = clean(Math.ceil(b / step) * step)
  const ticks: number[] = []
  for (let t = start; t <= end + step / 2; t += step) ticks.push(clean(t))
  return { kind: 'linear', domain: [start, end], ticks }
}

function logAxis(lo: number, hi: number): AxisScale {
  const first = Math.floor(Math.log10(lo) - 0.1)
  const last = Math.ceil(Math.log10(hi) + 0.1)
  const every = last - first > 8 ? 2 : 1
  const ticks: number[] = []
  for (let e = first; e <= last; e += every) ticks.push(clean(10 ** e))
  return { kind: 'log', domain: [clean(10 ** first), clean(10 ** last)], ticks }
}

/**
 * An axis for these values (non-finite ones ignored). A log axis only covers positive values:
 * zeros among them are drawn at its low end (the caller says so). `zeroBased`: a linear axis
 * starts at 0.
 */
export function dataAxis(
  values: readonly number[],
  options: { nonNegative?: boolean; zeroBased?: boolean } = {},
): AxisScale {
  const finite = values.filter(Number.isFinite)
  if (finite.length === 0) return { kind: 'linear', domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] }
  const positive = finite.filter((v) => v > 0)
  const lo = Math.min(...finite)
  const hi = Math.max(...finite)
  if (positive.length >= 2 && lo >= 0 && hi / Math.min(...positive) > LOG_RATIO)
    return logAxis(Math.min(...positive), hi)
  // Amounts (cost, time) from 0 on a linear axis, so distances along it are in proportion.
  return linearAxis(options.zeroBased ? Math.min(0, lo) : lo, hi, options.nonNegative ?? lo >= 0)
}

/** Where a value is drawn on the axis: zeros on a log axis at its low end. */
export function onAxis(axis: AxisScale, v: number): number {
  return axis.kind === 'log' && v <= 0 ? axis.domain[0] : v
}

const KIB = 1024
const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB']

/** 1 → "1 B", 10240 → "10 KB", 104857600 → "100 MB" (binary units, as formatBytes). */
export function byteTick(v: number): string {
  let i = 0
  let x = v
  while (x >= KIB && i < BYTE_UNITS.length - 1) {
    x /= KIB
    i++
  }
  return `${Number(x.toPrecision(3))} ${BYTE_UNITS[i]}`
}

/**
 * A log axis of bytes with ticks at 1, 10 and 100 of each unit (1 B … 1 KB, 10 KB, 100 KB, 1 MB …),
 * starting below the smallest non-zero value so its bar has a visible length: 1 KB sent off the
 * machine stays visible beside 100 MB on loopback.
 */
export function byteAxis(values: readonly number[]): AxisScale {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0)
  const lo = positive.length ? Math.min(...positive) : 1
  const hi = positive.length ? Math.max(...positive) : KIB
  const all: number[] = []
  for (let u = 0; u < BYTE_UNITS.length; u++) for (const m of [1, 10, 100]) all.push(KIB ** u * m)
  const start = [...all].reverse().find((t) => t <= lo / 3) ?? 1
  const end = all.find((t) => t >= hi * 1.2) ?? all[all.length - 1]!
  let ticks = all.filter((t) => t >= start && t <= end)
  // Too many to label: keep the units (1 B, 1 KB, 1 MB…) and the ends.
  if (ticks.length > 8) ticks = ticks.filter((t, i) => i === 0 || i === ticks.length - 1 || isUnit(t))
  return { kind: 'log', domain: [start, end], ticks }
}

const isUnit = (t: number) => Number.isInteger(Math.log(t) / Math.log(KIB))
