import { describe, expect, it } from 'vitest'
import { aggregateWinRates, columnWinRates } from '../../../src/main/analysis/win-rate'
import { formatDuration, formatDurations } from '../../../src/shared/statistics-text'

/**
 * Issue 15 point 4: every model showed "0.16 s" while the runtime win rates went from 0.42 to
 * 0.67. Local models answer in about the same time; the win rate ranks the exact milliseconds,
 * the screen printed seconds with two decimals.
 */
describe('runtime figures agree with their win rates', () => {
  const latencies = [158.2, 161.4, 163.9, 157.8] // mean ms per answer, four models, one benchmark

  it('reproduces the bug: seconds with two decimals make distinct runtimes read the same', () => {
    const rates = columnWinRates({ lowerIsBetter: true, values: latencies })
    expect(new Set(rates).size).toBe(4)
    expect(new Set(latencies.map((ms) => `${(ms / 1000).toFixed(2)} s`))).toEqual(new Set(['0.16 s']))
  })

  it('distinct runtimes display distinctly, in milliseconds below 1 s, in the order of their win rates', () => {
    const shown = formatDurations(latencies)
    expect(new Set(shown).size).toBe(4)
    expect(shown).toEqual(['158.2 ms', '161.4 ms', '163.9 ms', '157.8 ms'])
    const rates = columnWinRates({ lowerIsBetter: true, values: latencies })
    const byShown = [...latencies.keys()].sort((a, b) => parseFloat(shown[a]!) - parseFloat(shown[b]!))
    const byRate = [...latencies.keys()].sort((a, b) => rates[b]! - rates[a]!)
    expect(byShown).toEqual(byRate)
  })

  it('over several benchmarks the mean shown orders the models as the runtime win rate does when one is faster everywhere', () => {
    const perBenchmark = [
      [150.1, 150.4, 150.9],
      [170.3, 170.6, 171.2],
    ]
    const win = aggregateWinRates(
      3,
      perBenchmark.map((values) => ({ lowerIsBetter: true, values })),
    ).map((r) => r.winRate)
    const means = [0, 1, 2].map((m) => (perBenchmark[0]![m]! + perBenchmark[1]![m]!) / 2)
    const shown = formatDurations(means)
    expect(win).toEqual([1, 0.5, 0])
    expect(shown).toEqual(['160.2 ms', '160.5 ms', '161.1 ms'])
  })

  it('uses the fewest decimals that keep values apart, seconds from 1 s, and marks missing ones', () => {
    expect(formatDurations([120, 340, null])).toEqual(['120 ms', '340 ms', '—'])
    expect(formatDurations([2410, 980])).toEqual(['2.41 s', '980 ms'])
    expect(formatDurations([2411, 2414])).toEqual(['2.411 s', '2.414 s'])
    expect(formatDurations([200, 200])).toEqual(['200 ms', '200 ms'])
    // At most three more decimals, even if values differ further down.
    expect(formatDurations([100.00001, 100.00002])).toEqual(['100.000 ms', '100.000 ms'])
    expect(formatDuration(999.7)).toBe('1.00 s')
    // The CLI's "runtime (s)" column: seconds, two decimals unless more are needed.
    expect(formatDurations([100, 200, null], 's')).toEqual(['0.10', '0.20', '—'])
    expect(formatDurations([158.2, 158.4, 158.9], 's')).toEqual(['0.1582', '0.1584', '0.1589'])
    expect(formatDuration(12.4)).toBe('12 ms')
  })
})
