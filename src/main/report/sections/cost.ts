import { costText, formatUsd } from '../../../shared/api/leaderboard'
import type { ReportBlock, ReportSection } from '../doc'
import type { ReportInputs } from '../inputs'
import { modelCosts } from './cost-figures'
import { num } from './format'

const money = (x: number | null) => (x === null ? 'unknown' : formatUsd(x))

export function costSection(x: ReportInputs): ReportSection {
  const costs = modelCosts(x)
  const rows = new Map(x.leaderboard.rows.map((r) => [r.modelKey, r]))
  const charts: ReportBlock[] = [x.charts.costPerformance, x.charts.runtime].filter(
    (c): c is NonNullable<typeof c> => c !== null,
  )
  const frontier = costs.filter((c) => c.onFrontier).map((c) => c.modelKey)
  return {
    id: 'cost',
    title: 'Cost and performance',
    blocks: [
      {
        kind: 'paragraph',
        text:
          x.options.gpuHourUsd !== undefined
            ? `Local models are priced by GPU time: $${x.options.gpuHourUsd} per GPU-hour × their measured generation time. Other models by their token counts at the prices set (leaderboard prices). The jury's cost is shown apart.`
            : "Models are priced by their token counts at the prices set (leaderboard prices); give a GPU-hour rate when exporting the report to price local models by their measured generation time. The jury's cost is shown apart.",
      },
      // The finding before the figures (and not alone on a page after the wide table).
      {
        kind: 'paragraph',
        text: frontier.length
          ? `On the cost-performance frontier: ${frontier.join(', ')}. Any other model costs more for a lower or equal score.`
          : 'No frontier can be drawn: costs are unknown (set prices, or give a GPU-hour rate).',
      },
      ...charts,
      {
        kind: 'table',
        caption: "Cost per model: the model's answers and the jury's scoring apart",
        columns: [
          { key: 'model', label: 'Model' },
          { key: 'answers', label: 'Answers', align: 'right' },
          { key: 'tokens', label: 'Model cost (tokens)', align: 'right' },
          { key: 'gpu', label: 'Model cost (GPU time)', align: 'right' },
          { key: 'jury', label: 'Jury cost', align: 'right' },
          { key: 'per1000', label: 'Model per 1,000 answers', align: 'right' },
          { key: 'juryPer1000', label: 'Jury per 1,000 answers', align: 'right' },
          { key: 'runtime', label: 'Seconds per answer', align: 'right' },
          { key: 'macro', label: 'Macro-average', align: 'right' },
          { key: 'frontier', label: 'Pareto frontier' },
        ],
        rows: costs.map((c) => {
          const r = rows.get(c.modelKey)!
          return {
            model: c.modelKey,
            answers: String(c.answers),
            tokens: costText(r.cost.model),
            gpu: c.local
              ? c.gpuUsd === null
                ? `no rate (${num(c.generationHours, 4)} GPU-hours)`
                : money(c.gpuUsd)
              : 'not local',
            jury: costText(r.cost.jury),
            per1000: money(c.per1000),
            juryPer1000: money(c.juryPer1000),
            runtime: r.runtime.meanMs === null ? '—' : num(r.runtime.meanMs / 1000),
            macro: num(c.macro),
            frontier: c.onFrontier ? 'yes' : '',
          }
        }),
        note: 'Pareto frontier: no other model is both cheaper per 1,000 answers (its own cost, without the jury) and better on the macro-average. The jury cost is what the evaluation cost, not a cost of using the model.',
      },
    ],
  }
}
