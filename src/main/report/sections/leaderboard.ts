import { cellLookup, type Leaderboard, type PairwiseComparison } from '../../../shared/api/leaderboard'
import { formatP, formatSigned, STATISTIC_EXPLANATIONS } from '../../../shared/statistics-text'
import type { ReportBlock, ReportSection } from '../doc'
import type { ReportInputs } from '../inputs'
import { ci, num, plural } from './format'

/** Every comparison is listed up to this many; beyond, only the significant ones. */
export const MAX_PAIRWISE_ROWS = 80

function rankTable(lb: Leaderboard): ReportBlock {
  return {
    kind: 'table',
    caption: 'Leaderboard: mean win rate and macro-average with 95% intervals',
    columns: [
      { key: 'rank', label: 'Rank', align: 'right' },
      { key: 'model', label: 'Model' },
      { key: 'rankInterval', label: 'Rank interval' },
      { key: 'winRate', label: 'Mean win rate [95% CI]', align: 'right' },
      { key: 'macro', label: 'Macro-average [95% CI]', align: 'right' },
      { key: 'benchmarks', label: 'Benchmarks scored', align: 'right' },
      { key: 'group', label: 'Tie group', align: 'right' },
    ],
    rows: lb.rows.map((r) => ({
      rank: String(r.rank),
      model: r.modelKey,
      rankInterval: `${r.rankInterval.lo}–${r.rankInterval.hi}`,
      winRate: `${num(r.winRate)} ${ci(r.winRateCi)}`,
      macro: `${num(r.macro.mean)} ${ci(r.macroCi)}`,
      benchmarks: `${r.scoredBenchmarks} / ${r.benchmarks}`,
      group: String(r.tieGroup),
    })),
    note: `${STATISTIC_EXPLANATIONS.rank} ${STATISTIC_EXPLANATIONS.tieGroup}`,
  }
}

function categoryTable(lb: Leaderboard): ReportBlock {
  const cats = lb.categories.filter((c) => lb.columns.some((col) => col.categoryId === c.id))
  return {
    kind: 'table',
    caption: 'Per-category results: macro-average [95% CI] (mean win rate)',
    columns: [
      { key: 'model', label: 'Model' },
      ...cats.map((c) => ({ key: c.id, label: c.name, align: 'right' as const })),
    ],
    rows: lb.rows.map((r) => {
      const row: Record<string, string> = { model: r.modelKey }
      for (const c of cats) {
        const g = r.categories.find((x) => x.id === c.id)
        row[c.id] = g ? `${num(g.macro.mean)} ${ci(g.macroCi)} (${num(g.winRate)})` : '—'
      }
      return row
    }),
  }
}

function benchmarkTables(lb: Leaderboard): ReportBlock[] {
  const groups = [...new Set(lb.columns.map((c) => c.categoryName))]
  return groups.map((name) => {
    const cols = lb.columns.filter((c) => c.categoryName === name)
    return {
      kind: 'table',
      caption: `Benchmark results: ${name}`,
      columns: [
        { key: 'benchmark', label: 'Benchmark (metric)' },
        { key: 'model', label: 'Model' },
        { key: 'score', label: 'Score', align: 'right' },
        { key: 'ci', label: '95% CI', align: 'right' },
        { key: 'n', label: 'n', align: 'right' },
        { key: 'note', label: 'Note' },
      ],
      rows: cols.flatMap((col) =>
        lb.cells
          .filter((c) => c.columnKey === col.key)
          .map((c) => ({
            benchmark: `${col.benchmarkName} (${col.metric}, ${col.scale})`,
            model: c.modelKey,
            score: num(c.value),
            ci: ci(c.ci),
            n: String(c.n),
            note: [
              c.partial ? `partial: ${c.counts.scored} of ${c.counts.total} scored` : '',
              c.wide ? 'wide interval' : '',
            ]
              .filter(Boolean)
              .join('; '),
          })),
      ),
      note: STATISTIC_EXPLANATIONS.ci,
    }
  })
}

function pairRow(p: PairwiseComparison): Record<string, string> {
  return {
    scope: p.name,
    pair: `${p.modelA} vs ${p.modelB}`,
    diff: `${formatSigned(p.difference)} ${ci(p.ci)}`,
    n: String(p.n),
    test: p.testName,
    p: p.pAdjusted === null ? '—' : formatP(p.pAdjusted),
    verdict: p.significant ? 'significant' : 'not significant',
  }
}

function pairwiseTable(lb: Leaderboard): ReportBlock {
  const all = [
    ...lb.pairwise.filter((p) => p.scope === 'category'),
    ...lb.pairwise.filter((p) => p.scope === 'benchmark'),
  ]
  const shown = all.length <= MAX_PAIRWISE_ROWS ? all : all.filter((p) => p.significant)
  return {
    kind: 'table',
    caption:
      shown.length === all.length
        ? 'Pairwise comparisons (difference A − B with 95% CI, adjusted p)'
        : `Significant pairwise comparisons (${shown.length} of ${all.length}; the others are not significant)`,
    columns: [
      { key: 'scope', label: 'Category or benchmark' },
      { key: 'pair', label: 'Models (A vs B)' },
      { key: 'diff', label: 'A − B [95% CI]', align: 'right' },
      { key: 'n', label: 'n', align: 'right' },
      { key: 'test', label: 'Test' },
      { key: 'p', label: `Adjusted p (${lb.statistics.adjustName})`, align: 'right' },
      { key: 'verdict', label: 'Verdict' },
    ],
    rows: shown.map(pairRow),
    note: `${STATISTIC_EXPLANATIONS.pairwise} ${STATISTIC_EXPLANATIONS.adjusted}`,
  }
}

/**
 * Jury scores calibrated to the hospital's clinicians, beside the raw ones (as on the screen), for
 * the jury columns the calibration covers; absent without a calibration.
 */
function calibratedBlocks(lb: Leaderboard): ReportBlock[] {
  const cal = lb.calibration
  if (!cal) return []
  const columns = lb.columns.filter((c) => cal.columns.includes(c.key))
  const intro = `Calibration ${cal.id} (${cal.label}) maps each instance's jury score (1–5) onto the clinicians' scale, from review set${cal.setIds.length === 1 ? '' : 's'} ${cal.setIds.join(', ')}; the means are shown beside the raw ones. Ranks, win rates and macro-averages above use the raw scores.`
  if (columns.length === 0)
    return [
      { kind: 'heading', text: `Jury scores ${cal.label}` },
      {
        kind: 'paragraph',
        text: `${intro} It was fitted on ${cal.benchmarks.join(', ')}, none of which is in this report: no calibrated score is shown.`,
      },
    ]
  const cellAt = cellLookup(lb.cells)
  return [
    { kind: 'heading', text: `Jury scores ${cal.label}` },
    { kind: 'paragraph', text: intro },
    {
      kind: 'table',
      caption: `Raw and calibrated jury scores (1–5), calibration ${cal.id}`,
      columns: [
        { key: 'model', label: 'Model' },
        ...columns.map((c) => ({
          key: c.key,
          label: `${c.benchmarkName}: raw → calibrated`,
          align: 'right' as const,
        })),
      ],
      rows: lb.rows.map((r) => {
        const row: Record<string, string> = { model: r.modelKey }
        for (const c of columns) {
          const cell = cellAt(r.modelKey, c.key)
          row[c.key] = `${num(cell?.value ?? null)} → ${num(cell?.calibrated?.value ?? null)}`
        }
        return row
      }),
    },
  ]
}

export function leaderboardSection(x: ReportInputs): ReportSection {
  const lb = x.leaderboard
  return {
    id: 'leaderboard',
    title: 'Leaderboard',
    blocks: [
      {
        kind: 'paragraph',
        text: `${STATISTIC_EXPLANATIONS.winRate} ${STATISTIC_EXPLANATIONS.macro} ${lb.statistics.view === 'paired' ? STATISTIC_EXPLANATIONS.paired : STATISTIC_EXPLANATIONS.unpaired}`,
      },
      rankTable(lb),
      categoryTable(lb),
      { kind: 'heading', text: 'Pairwise results' },
      lb.pairwise.length
        ? pairwiseTable(lb)
        : {
            kind: 'paragraph',
            text: `No pairwise comparison: ${lb.statistics.view === 'unpaired' ? 'no tests in the unpaired view' : `fewer than two models share instances (${plural(lb.rows.length, 'model')})`}.`,
          },
      { kind: 'heading', text: 'Per-benchmark results' },
      ...benchmarkTables(lb),
      ...calibratedBlocks(lb),
    ],
  }
}
