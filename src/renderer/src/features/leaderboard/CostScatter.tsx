import { useState } from 'react'
import {
  CartesianGrid,
  LabelList,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import type { Leaderboard } from '../../../../shared/api/leaderboard'
import { costText, formatUsd } from '../../../../shared/api/leaderboard'

type Axis = 'cost' | 'runtime'

/**
 * Cost–performance: each model's mean win rate against its total cost (model + jury) or its mean
 * runtime. Models whose cost is unknown are listed with the reason instead of plotted at 0.
 */
export function CostScatter({ data }: { data: Leaderboard }) {
  const [axis, setAxis] = useState<Axis>('cost')
  const points = data.rows
    .filter((r) => r.winRate !== null)
    .map((r) => ({
      model: r.modelKey,
      winRate: r.winRate!,
      x: axis === 'cost' ? r.cost.total.usd : r.runtime.meanMs === null ? null : r.runtime.meanMs / 1000,
    }))
  const plotted = points.filter((p): p is typeof p & { x: number } => p.x !== null)
  const unplotted = data.rows.filter((r) => !plotted.some((p) => p.model === r.modelKey))
  const fmt = (x: number) => (axis === 'cost' ? formatUsd(x) : `${x.toFixed(2)} s`)
  const label = axis === 'cost' ? 'Total cost (model + jury)' : 'Mean runtime per answer'

  return (
    <section className="panel" aria-labelledby="lb-scatter-h" data-testid="lb-scatter">
      <div className="lb-section-head">
        <h2 id="lb-scatter-h">Cost and runtime against mean win rate</h2>
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
      {plotted.length > 0 ? (
        <div
          className="lb-chart"
          role="img"
          aria-label={`${label} against mean win rate: ${plotted
            .map((p) => `${p.model} ${fmt(p.x)}, win rate ${p.winRate.toFixed(3)}`)
            .join('; ')}`}
        >
          <ResponsiveContainer width="100%" height="100%">
            <ScatterChart margin={{ left: 10, right: 30, top: 10, bottom: 20 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                type="number"
                dataKey="x"
                name={label}
                tickFormatter={fmt}
                label={{ value: label, position: 'bottom' }}
              />
              <YAxis type="number" dataKey="winRate" name="Mean win rate" domain={[0, 1]} />
              <Tooltip
                formatter={(v, name) => (name === 'Mean win rate' ? Number(v).toFixed(3) : fmt(Number(v)))}
              />
              <Scatter data={plotted} fill="#0b6e79" isAnimationActive={false}>
                <LabelList dataKey="model" position="top" />
              </Scatter>
            </ScatterChart>
          </ResponsiveContainer>
        </div>
      ) : (
        <p className="muted">
          No model has both a mean win rate and a known {axis === 'cost' ? 'cost' : 'runtime'}.
        </p>
      )}
      {unplotted.length > 0 ? (
        <ul className="lb-unplotted" data-testid="lb-unplotted">
          {unplotted.map((r) => (
            <li key={r.modelKey}>
              <strong>{r.modelKey}</strong> is not plotted:{' '}
              {r.winRate === null
                ? 'no mean win rate (it needs another model on the same benchmark)'
                : axis === 'cost'
                  ? `cost ${costText(r.cost.total)}`
                  : 'no runtime recorded'}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}
