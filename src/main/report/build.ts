import type { ReportDoc, ReportSection } from './doc'
import { gatherReportInputs, type ReportCtx, type ReportInputs, type ReportOptions } from './inputs'
import { agreementSection } from './sections/agreement'
import { costSection } from './sections/cost'
import { coverageSection } from './sections/coverage'
import { examplesSection } from './sections/examples'
import { jurySection } from './sections/jury'
import { leaderboardSection } from './sections/leaderboard'
import { limitationsSection } from './sections/limitations'
import { privacySection } from './sections/privacy'
import { scopeSection } from './sections/scope'
import { summarySection } from './sections/summary'
import { plural } from './sections/format'

/** The report's sections in the issue's order, from inputs already gathered. */
export function reportDocFrom(x: ReportInputs): ReportDoc {
  const lb = x.leaderboard
  const category = lb.categoryId ? lb.categories.find((c) => c.id === lb.categoryId)?.name : null
  const sections: ReportSection[] = [
    summarySection(x),
    scopeSection(x),
    coverageSection(x),
    leaderboardSection(x),
    costSection(x),
    jurySection(x),
    agreementSection(x),
    privacySection(x),
    limitationsSection(x),
  ]
  const examples = examplesSection(x)
  if (examples) sections.push(examples)
  return {
    title: `WardEval evaluation report${category ? `: ${category}` : ''}`,
    subtitle: `${plural(lb.rows.length, 'model')} on ${plural(lb.columns.length, 'benchmark')}; ${lb.runs.filter((r) => r.used).length === 1 ? 'run' : 'runs'} ${
      lb.runs
        .filter((r) => r.used)
        .map((r) => r.id)
        .join(', ') || 'none'
    }`,
    generatedAt: x.generatedAt,
    appVersion: x.appVersion,
    sections,
  }
}

/** Builds the report document from the database (the leaderboard's bootstrap reports progress). */
export async function buildReportDoc(
  ctx: ReportCtx,
  options: ReportOptions = {},
  onProgress?: (done: number, total: number) => void,
): Promise<ReportDoc> {
  return reportDocFrom(await gatherReportInputs(ctx, options, onProgress))
}
