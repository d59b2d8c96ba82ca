import type { ReportBlock, ReportSection } from '../doc'
import type { ReportInputs } from '../inputs'
import { plural } from './format'

/** Which of the taxonomy's subcategories the report has evidence for (a scored leaderboard column). */
export function coveredSubcategories(x: ReportInputs): Set<string> {
  const scored = new Set(x.leaderboard.cells.filter((c) => c.value !== null).map((c) => c.columnKey))
  return new Set(
    x.leaderboard.columns
      .filter((c) => c.subcategoryId !== null && scored.has(c.key))
      .map((c) => c.subcategoryId!),
  )
}

export function coverageSection(x: ReportInputs): ReportSection {
  const covered = coveredSubcategories(x)
  const subs = x.taxonomy.categories.flatMap((c) => c.subcategories)
  const benchmarksOf = (subId: string) => [
    ...new Set(x.leaderboard.columns.filter((c) => c.subcategoryId === subId).map((c) => c.benchmarkName)),
  ]
  const tables: ReportBlock[] = x.taxonomy.categories.map((cat) => ({
    kind: 'table',
    caption: cat.name,
    columns: [
      { key: 'sub', label: 'Subcategory' },
      { key: 'evidence', label: 'Evidence in this report' },
      { key: 'benchmarks', label: 'Benchmarks with results' },
      { key: 'loaded', label: 'Benchmarks loaded', align: 'right' },
    ],
    rows: cat.subcategories.map((s) => ({
      sub: s.name,
      evidence: covered.has(s.id) ? 'Yes' : 'No',
      benchmarks: benchmarksOf(s.id).join(', ') || '—',
      loaded: String(s.loadedBenchmarkCount),
    })),
  }))
  const n = subs.filter((s) => covered.has(s.id)).length
  return {
    id: 'coverage',
    title: 'Taxonomy coverage',
    blocks: [
      {
        kind: 'paragraph',
        text: `${n} of the ${plural(subs.length, 'subcategory', 'subcategories')} of MedHELM's taxonomy have evidence in this report (a benchmark of theirs with scored results). A model's results say nothing about the others.`,
      },
      ...tables,
    ],
  }
}
