import type { IccDetail, ReviewAgreement, ScorerLeague } from '../../../shared/api/review'
import type { ReportBlock, ReportSection } from '../doc'
import type { ReportInputs } from '../inputs'
import { num } from './format'

const interval = (ci: [number, number] | null) => (ci ? `[${num(ci[0])}, ${num(ci[1])}]` : '—')
const icc = (x: IccDetail | { value: number; ci95: [number, number] | null; label: string } | null) =>
  x ? `${num(x.value)} ${interval(x.ci95)} (${x.label})` : '—'

function setTable(sets: ReviewAgreement[]): ReportBlock {
  return {
    kind: 'table',
    caption: 'Jury against clinicians per review set (overall, ICC(3,k) on z-scored ratings)',
    columns: [
      { key: 'set', label: 'Review set', align: 'right' },
      { key: 'items', label: 'Items rated / in set', align: 'right' },
      { key: 'reviewers', label: 'Reviewers', align: 'right' },
      { key: 'jury', label: 'Jury vs clinicians' },
      { key: 'baseline', label: 'Clinicians among themselves' },
    ],
    rows: sets.map((s) => {
      const overall = (figs: ReviewAgreement['juryVsClinicians']) => figs.find((f) => f.scope === 'overall')
      const j = overall(s.juryVsClinicians)
      const b = overall(s.clinicianBaseline)
      return {
        set: String(s.setId),
        items: `${s.counts.rated} / ${s.counts.items}`,
        reviewers: String(s.reviewers.length),
        jury: j?.status === 'ok' ? icc(j.icc3k) : (j?.reason ?? 'not computable'),
        baseline: b?.status === 'ok' ? icc(b.icc3k) : (b?.reason ?? 'not computable'),
      }
    }),
  }
}

function leagueTable(league: ScorerLeague): ReportBlock {
  return {
    kind: 'table',
    caption: `Scorer league: every automatic scorer against the clinicians (${league.ratedItems} rated items)`,
    columns: [
      { key: 'scorer', label: 'Scorer' },
      { key: 'items', label: 'Items', align: 'right' },
      { key: 'icc', label: 'ICC(3,k) [95% CI]' },
      { key: 'rho', label: "Spearman's ρ", align: 'right' },
      { key: 'kappa', label: 'Weighted κ', align: 'right' },
      { key: 'verdict', label: 'In words' },
    ],
    rows: league.scorers.map((s) => ({
      scorer: s.name,
      items: String(s.items),
      icc: s.status === 'ok' ? icc(s.icc3k) : (s.reason ?? 'not computable'),
      rho: s.spearman ? num(s.spearman.rho) : '—',
      kappa: s.kappa ? num(s.kappa.value) : '—',
      verdict: s.kappaNote ? `${s.verdict} κ: ${s.kappaNote}` : s.verdict,
    })),
    note: `Clinicians among themselves: ${league.baseline.verdict}`,
  }
}

export function agreementSection(x: ReportInputs): ReportSection {
  if (x.reviews.length === 0 || !x.league)
    return {
      id: 'agreement',
      title: 'Clinician agreement',
      blocks: [
        {
          kind: 'paragraph',
          text: 'No review set covers these runs, so how far the jury agrees with clinicians is not measured here. Create one on the Review screen (or review create-set), have clinicians rate it blind, then build the report again.',
        },
      ],
    }
  return {
    id: 'agreement',
    title: 'Clinician agreement',
    blocks: [
      { kind: 'paragraph', text: x.league.headline },
      setTable(x.reviews),
      ...x.charts.agreement,
      leagueTable(x.league),
    ],
  }
}
