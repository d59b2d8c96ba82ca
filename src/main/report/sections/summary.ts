import type { Leaderboard, LeaderboardRow } from '../../../shared/api/leaderboard'
import { formatUsd } from '../../../shared/api/leaderboard'
import type { ReportBlock, ReportSection } from '../doc'
import type { ReportInputs } from '../inputs'
import { modelCosts } from './cost-figures'
import { ci, listText, num, plural } from './format'
import { findLimitations } from './limitations'

/** At most this many significant differences are written out in the summary. */
export const SUMMARY_DIFFERENCES = 10

/**
 * The best model of a category and the models not separable from it: those whose category
 * comparison with it is not significant (paired tests), or — without tests — whose interval overlaps.
 */
export function categoryLeaders(
  lb: Leaderboard,
  categoryId: string,
): { best: LeaderboardRow; tied: string[] } | null {
  const score = (r: LeaderboardRow) => r.categories.find((c) => c.id === categoryId)
  const scored = lb.rows.filter((r) => score(r)?.macro.mean != null)
  if (scored.length === 0) return null
  const best = [...scored].sort((a, b) => score(b)!.macro.mean! - score(a)!.macro.mean!)[0]!
  const bestCi = score(best)!.macroCi
  const tied = scored
    .filter((r) => r !== best)
    .filter((r) => {
      const test = lb.pairwise.find(
        (p) =>
          p.scope === 'category' &&
          p.id === categoryId &&
          ((p.modelA === best.modelKey && p.modelB === r.modelKey) ||
            (p.modelB === best.modelKey && p.modelA === r.modelKey)),
      )
      if (test && test.p !== null) return !test.significant
      const c = score(r)!.macroCi
      return !bestCi || !c || (c.hi >= bestCi.lo && c.lo <= bestCi.hi)
    })
    .map((r) => r.modelKey)
  return { best, tied }
}

function leadersTable(lb: Leaderboard): ReportBlock {
  const shown = lb.categories.filter((c) => lb.columns.some((col) => col.categoryId === c.id))
  return {
    kind: 'table',
    caption: 'Best model per category, with the models that cannot be told apart from it',
    columns: [
      { key: 'category', label: 'Category' },
      { key: 'best', label: 'Best model' },
      { key: 'score', label: 'Macro-average [95% CI]', align: 'right' },
      { key: 'tied', label: 'Not separable from it' },
    ],
    rows: shown.map((c) => {
      const l = categoryLeaders(lb, c.id)
      const s = l?.best.categories.find((g) => g.id === c.id)
      return {
        category: c.name,
        best: l?.best.modelKey ?? 'no scores',
        score: s ? `${num(s.macro.mean)} ${ci(s.macroCi)}` : '—',
        tied: l ? (l.tied.length ? l.tied.join(', ') : 'none: a clear lead') : '—',
      }
    }),
    note: 'Not separable: the paired test of the two models over the category is not significant after adjustment (or, without tests, their intervals overlap).',
  }
}

function overall(lb: Leaderboard): string {
  const top = lb.rows[0]
  if (!top)
    return 'No model has scored results in this selection yet: run models and score them, then build the report again.'
  const group = lb.rows.filter((r) => r.tieGroup === top.tieGroup).map((r) => r.modelKey)
  const others = group.filter((m) => m !== top.modelKey)
  return `Overall, ${top.modelKey} ranks first by mean win rate (${num(top.winRate)}, 95% interval ${ci(top.winRateCi)}; rank ${top.rankInterval.lo}–${top.rankInterval.hi} in 95% of resamples)${
    others.length
      ? `, but it cannot be separated from ${listText(others)} on this data.`
      : ', clearly ahead of every other model.'
  }`
}

/** Significant pairs, categories before benchmarks, those about the best-ranked models first. */
function orderedDifferences(lb: Leaderboard): Leaderboard['pairwise'] {
  const rank = new Map(lb.rows.map((r) => [r.modelKey, r.rank]))
  const top = (p: Leaderboard['pairwise'][number]) =>
    Math.min(rank.get(p.modelA) ?? Infinity, rank.get(p.modelB) ?? Infinity)
  return lb.pairwise
    .filter((p) => p.significant && p.sentence)
    .sort(
      (a, b) =>
        Number(a.scope === 'benchmark') - Number(b.scope === 'benchmark') ||
        top(a) - top(b) ||
        Math.abs(b.difference) - Math.abs(a.difference),
    )
}

function differences(lb: Leaderboard): ReportBlock[] {
  const ordered = orderedDifferences(lb)
  if (ordered.length === 0)
    return [
      {
        kind: 'paragraph',
        text:
          lb.statistics.view === 'unpaired'
            ? 'No significance tests were made (unpaired view).'
            : 'No difference between two models is significant after adjusting for the number of comparisons.',
      },
    ]
  const shown = ordered.slice(0, SUMMARY_DIFFERENCES).map((p) => p.sentence!)
  if (ordered.length > shown.length)
    shown.push(`…and ${ordered.length - shown.length} more, listed in the leaderboard section.`)
  return [{ kind: 'list', items: shown }]
}

function costLines(x: ReportInputs): string[] {
  const costs = modelCosts(x)
  const unknown = costs.filter((c) => c.per1000 === null)
  const lines = costs
    .filter((c) => c.per1000 !== null)
    .map(
      (c) =>
        `${c.modelKey}: ${formatUsd(c.per1000!)} per 1,000 answers${c.gpuUsd !== null ? ' (GPU time)' : ''}${c.juryPer1000 !== null ? `; scoring them with the jury: ${formatUsd(c.juryPer1000)}` : ''}.`,
    )
  if (unknown.length > 0)
    lines.push(
      `Cost unknown for ${listText(unknown.map((c) => c.modelKey))}: no price set, or token counts missing${unknown.some((c) => c.local) ? '; give a GPU-hour rate to price local models by GPU time' : ''}.`,
    )
  return lines
}

export function summarySection(x: ReportInputs): ReportSection {
  const lb = x.leaderboard
  const limits = findLimitations(x)
  return {
    id: 'summary',
    title: 'Summary for decision makers',
    blocks: [
      {
        kind: 'paragraph',
        text: `${plural(lb.rows.length, 'model')} compared on ${plural(lb.columns.length, 'benchmark')} (${lb.statistics.view}, 95% intervals from ${lb.statistics.resamples} bootstrap resamples, seed ${lb.statistics.seed}).`,
      },
      { kind: 'paragraph', text: overall(lb) },
      leadersTable(lb),
      { kind: 'heading', text: 'Significant differences' },
      ...differences(lb),
      { kind: 'heading', text: 'Cost per 1,000 answers' },
      { kind: 'list', items: costLines(x) },
      { kind: 'heading', text: 'Limitations found in the data' },
      limits.length
        ? { kind: 'callout', tone: 'warning', text: limits.map((l) => l.title).join('. ') + '.' }
        : { kind: 'paragraph', text: 'None of the checked limitations was found.' },
    ],
  }
}
