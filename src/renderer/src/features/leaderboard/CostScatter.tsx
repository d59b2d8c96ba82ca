import { useState } from 'react'
import type { Leaderboard } from '../../../../shared/api/leaderboard'
import { costChartText, costPoints, CostPerformanceChart, type CostAxis } from '../../../../shared/charts'
import { SizedChart } from '../../components/SizedChart'

/**
 * Cost–performance on the Leaderboard: the shared chart (src/shared/charts, the same the report
 * draws) at the panel's width, with the cost/runtime switch and tooltips. Models whose cost is
 * unknown are listed with the reason instead of plotted at 0.
 */
export function CostScatter({ data }: { data: Leaderboard }) {
  const [axis, setAxis] = useState<CostAxis>('cost')
  const { points, unplotted } = costPoints(data, axis)
  const text = costChartText(data, axis)
  return (
    <section className="panel" aria-labelledby="lb-scatter-h" data-testid="lb-scatter">
      <div className="lb-section-head">
        <h2 id="lb-scatter-h">{text.title}</h2>
        <div role="radiogroup" aria-label="Horizontal axis" className="lb-toggle">
          {(['cost', 'runtime'] as const).map((a) => (
            <button
              key={a}
              type="button"
              role="radio"
              aria-checked={axis === a}
              className={axis === a ? 'primary' : undefined}
              onClick={() => setAxis(a)}
            >
              {a === 'cost' ? 'Cost' : 'Runtime'}
            </button>
          ))}
        </div>
      </div>
      {points.length > 0 ? (
        <>
          <SizedChart height={380} label={text.alt} testId="lb-cost-chart">
            {(size) => <CostPerformanceChart data={data} axis={axis} {...size} />}
          </SizedChart>
          <p className="chart-caption" data-testid="lb-scatter-caption">
            {text.caption}
          </p>
        </>
      ) : (
        <p className="muted">
          No model has both a mean win rate and a known {axis === 'cost' ? 'cost' : 'runtime'}.
        </p>
      )}
      {unplotted.length > 0 ? (
        <ul className="lb-unplotted" data-testid="lb-unplotted">
          {unplotted.map((u) => (
            <li key={u.modelKey}>
              <strong>{u.modelKey}</strong> is not plotted: {u.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}
