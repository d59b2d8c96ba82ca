import './jsdom-globals'
import { act, type ReactElement } from 'react'
import { createRoot } from 'react-dom/client'
import { CartesianGrid, LabelList, Line, ComposedChart, Scatter, XAxis, YAxis } from 'recharts'

/**
 * The SVG recharts draws for a chart of fixed size, as the report's chart code gets it: rendered
 * with react-dom into jsdom (./jsdom-globals.ts). recharts 3 draws
 * nothing through renderToStaticMarkup, hence a real render inside act().
 */
export async function renderSvg(element: ReactElement): Promise<string> {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
  const host = document.createElement('div')
  document.body.appendChild(host)
  const root = createRoot(host)
  await act(async () => root.render(element))
  const svg = host.querySelector('svg.recharts-surface')
  if (!svg) throw new Error('recharts drew no <svg class="recharts-surface">')
  const markup = svg.outerHTML
  await act(async () => root.unmount())
  host.remove()
  return markup
}

/** A cost–performance scatter with a Pareto frontier, labelled points and axis titles. */
export function costScatter(points: { model: string; cost: number; winRate: number }[]): ReactElement {
  const frontier = [...points]
    .sort((a, b) => a.cost - b.cost)
    .filter((p, i, s) => s.slice(0, i).every((q) => q.winRate < p.winRate))
  return (
    <ComposedChart width={600} height={320} margin={{ left: 10, right: 30, top: 10, bottom: 30 }}>
      <CartesianGrid strokeDasharray="3 3" stroke="#c9d3d6" />
      <XAxis
        type="number"
        dataKey="cost"
        name="Cost"
        unit=" $"
        label={{ value: 'Cost per 1,000 answers (USD) →', position: 'bottom' }}
      />
      <YAxis
        type="number"
        dataKey="winRate"
        domain={[0, 1]}
        label={{ value: 'Mean win rate', angle: -90, position: 'insideLeft' }}
      />
      <Line
        data={frontier}
        dataKey="winRate"
        stroke="#b45309"
        strokeWidth={2}
        dot={false}
        isAnimationActive={false}
      />
      <Scatter data={points} fill="#0b6e79" isAnimationActive={false}>
        <LabelList dataKey="model" position="top" style={{ fontSize: 10, fill: '#333333' }} />
      </Scatter>
    </ComposedChart>
  )
}
