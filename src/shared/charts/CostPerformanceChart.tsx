/** @jsxRuntime automatic */
// (The pragma: tsx runs this from source in the report's chart worker and reads no jsx option.)
import {
  CartesianGrid,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
  useXAxisScale,
  useYAxisScale,
} from 'recharts'
import type { Leaderboard } from '../api/leaderboard'
import { formatUsd } from '../api/leaderboard'
import { onAxis } from './axis'
import {
  costAxisTitle,
  costPoints,
  costScale,
  secondsTick,
  usdTick,
  WIN_RATE_TITLE,
  type CostAxis,
  type CostPoint,
} from './cost-points'
import { cartesianFrame, legendLayout, type CartesianFrame, type LegendItem } from './frame'
import { placeLabels } from './label-layout'
import { paretoFrontier } from './pareto'
import { AxisTitles, ChartLegend, type ChartSizeProps, xAxisLook, yAxisLook } from './parts'
import { textWidth, truncateText } from './text'
import { CHART_FONT, LIGHT_PALETTE, TICK_SIZE, type ChartPalette } from './theme'

/**
 * Cost–performance (or runtime–performance) of the models: mean win rate against cost per 1,000
 * answers — the model's own cost and the jury's drawn apart — or mean time per answer, with the
 * Pareto frontier. Drawn alike on the Leaderboard screen and in the report.
 */

export interface CostPerformanceChartProps extends ChartSizeProps {
  data: Leaderboard
  axis: CostAxis
}

const WIN_TICKS = [0, 0.25, 0.5, 0.75, 1]
const winTick = (v: number) => v.toFixed(2)
/** Longest model name drawn beside its point; the full name is in its tooltip and <title>. */
const MAX_LABEL = 150

function legendItems(axis: CostAxis, p: ChartPalette): LegendItem[] {
  const frontier: LegendItem = { label: 'Pareto frontier (circled)', color: p.highlight, swatch: 'dash' }
  if (axis === 'runtime') return [{ label: 'Model', color: p.primary, swatch: 'dot' }, frontier]
  return [
    { label: 'Model + jury (total)', color: p.primary, swatch: 'dot' },
    { label: 'Model alone', color: p.primary, swatch: 'ring' },
    { label: 'Jury cost', color: p.primarySoft, swatch: 'line' },
    frontier,
  ]
}

export function CostPerformanceChart(props: CostPerformanceChartProps) {
  const { data, axis, width, height } = props
  const palette = props.palette ?? LIGHT_PALETTE
  const { points } = costPoints(data, axis)
  const scale = costScale(points, axis)
  const fmt = axis === 'cost' ? usdTick : secondsTick
  const legend = legendLayout(legendItems(axis, palette), 8, width - 16)
  const frame = cartesianFrame({
    width,
    height,
    yTicks: WIN_TICKS.map(winTick),
    xTicks: scale.ticks.map(fmt),
    legendHeight: legend.height,
  })
  const drawn = points.map((p) => ({ ...p, x: onAxis(scale, p.x), modelX: onAxis(scale, p.modelUsd) }))
  return (
    <ScatterChart width={width} height={height} margin={frame.margin} accessibilityLayer={false}>
      <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" />
      <XAxis
        type="number"
        dataKey="x"
        scale={scale.kind}
        domain={scale.domain}
        ticks={scale.ticks}
        tickFormatter={fmt}
        allowDataOverflow
        {...xAxisLook(frame, palette)}
      />
      <YAxis
        type="number"
        dataKey="winRate"
        domain={[0, 1]}
        ticks={WIN_TICKS}
        tickFormatter={winTick}
        {...yAxisLook(frame, palette)}
      />
      {props.static ? null : <Tooltip content={<CostTooltip axis={axis} />} cursor={false} />}
      {axis === 'cost' ? <JurySegments points={drawn} palette={palette} /> : null}
      {axis === 'cost' ? (
        <Scatter
          name="Model alone"
          data={drawn.map((p) => ({ ...p, x: p.modelX }))}
          fill={palette.background}
          stroke={palette.primary}
          strokeWidth={1.5}
          isAnimationActive={false}
        />
      ) : null}
      <Scatter
        name={axis === 'cost' ? 'Model + jury' : 'Model'}
        data={drawn}
        fill={palette.primary}
        isAnimationActive={false}
        data-series="models"
      />
      <Frontier points={drawn} palette={palette} />
      <PointLabels points={drawn} frame={frame} palette={palette} />
      <ChartLegend items={legend.items} palette={palette} />
      <AxisTitles frame={frame} x={costAxisTitle(axis, scale)} y={WIN_RATE_TITLE} palette={palette} />
    </ScatterChart>
  )
}

type Drawn = CostPoint & { modelX: number }

/** The jury's share of each model's cost: a line from "model alone" to "model + jury". */
function JurySegments({ points, palette }: { points: Drawn[]; palette: ChartPalette }) {
  const xs = useXAxisScale()
  const ys = useYAxisScale()
  if (!xs || !ys) return null
  return (
    <g data-series="jury-cost">
      {points.map((p) => (
        <line
          key={p.modelKey}
          x1={xs(p.modelX)}
          x2={xs(p.x)}
          y1={ys(p.winRate)}
          y2={ys(p.winRate)}
          stroke={palette.primarySoft}
          strokeWidth={3}
        />
      ))}
    </g>
  )
}

/** The frontier as a staircase: from each frontier model, the best win rate reachable for its cost. */
function Frontier({ points, palette }: { points: Drawn[]; palette: ChartPalette }) {
  const xs = useXAxisScale()
  const ys = useYAxisScale()
  const front = paretoFrontier(
    points,
    (p) => p.x,
    (p) => p.winRate,
  )
  if (!xs || !ys || front.length === 0) return null
  const d = front
    .map((p, i) => {
      const x = xs(p.x) ?? 0
      const y = ys(p.winRate) ?? 0
      return i === 0 ? `M${x},${y}` : `H${x}V${y}`
    })
    .join('')
  return (
    <g data-part="frontier">
      {/* Each frontier model circled: visible even when the frontier is one model. */}
      {front.map((p) => (
        <circle
          key={p.modelKey}
          cx={xs(p.x)}
          cy={ys(p.winRate)}
          r={8}
          fill="none"
          stroke={palette.highlight}
          strokeWidth={2}
        />
      ))}
      <path
        data-series="pareto-frontier"
        d={d}
        fill="none"
        stroke={palette.highlight}
        strokeWidth={2}
        strokeDasharray="6 4"
      >
        <title>{`Pareto frontier: ${front.map((p) => p.modelKey).join(', ')}`}</title>
      </path>
    </g>
  )
}

function PointLabels({
  points,
  frame,
  palette,
}: {
  points: Drawn[]
  frame: CartesianFrame
  palette: ChartPalette
}) {
  const xs = useXAxisScale()
  const ys = useYAxisScale()
  if (!xs || !ys) return null
  const room = Math.min(MAX_LABEL, (frame.plot.right - frame.plot.left) / 2.5)
  const texts = points.map((p) => truncateText(p.modelKey, room, TICK_SIZE))
  const placed = placeLabels(
    points.map((p, i) => ({
      x: xs(p.x) ?? 0,
      y: ys(p.winRate) ?? 0,
      width: textWidth(texts[i]!, TICK_SIZE),
      height: TICK_SIZE + 2,
    })),
    frame.plot,
  )
  return (
    <g data-part="point-labels">
      {placed.map((l, i) => {
        const w = textWidth(texts[i]!, TICK_SIZE)
        const left = l.anchor === 'start' ? l.x : l.anchor === 'end' ? l.x - w : l.x - w / 2
        return (
          <g key={points[i]!.modelKey}>
            {/* A backing so lines (the frontier, the grid) never run through a name. */}
            <rect
              x={left - 2}
              y={l.y - TICK_SIZE / 2 - 2}
              width={w + 4}
              height={TICK_SIZE + 4}
              fill={palette.background}
              fillOpacity={0.85}
            />
            <text
              x={l.x}
              y={l.y}
              dy="0.35em"
              textAnchor={l.anchor}
              fill={palette.text}
              fontSize={TICK_SIZE}
              fontFamily={CHART_FONT}
            >
              {texts[i] !== points[i]!.modelKey ? <title>{points[i]!.modelKey}</title> : null}
              {texts[i]}
            </text>
          </g>
        )
      })}
    </g>
  )
}

interface TooltipProps {
  axis: CostAxis
  active?: boolean
  payload?: readonly { payload?: unknown }[]
}

function CostTooltip({ axis, active, payload }: TooltipProps) {
  const p = payload?.[0]?.payload as CostPoint | undefined
  if (!active || !p) return null
  return (
    <div className="chart-tooltip">
      <strong>{p.modelKey}</strong>
      <div>Mean win rate {p.winRate.toFixed(3)}</div>
      {axis === 'cost' ? (
        <>
          <div>Per 1,000 answers: {formatUsd(p.totalUsd)}</div>
          <div>
            model {formatUsd(p.modelUsd)} + jury {formatUsd(p.juryUsd)}
          </div>
        </>
      ) : (
        <div>{secondsTick(p.runtimeS)} per answer</div>
      )}
    </div>
  )
}
