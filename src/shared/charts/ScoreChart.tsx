/** @jsxRuntime automatic */
// (The pragma: tsx runs this from source in the report's chart worker and reads no jsx option.)
import type { ReactNode } from 'react'
import { CartesianGrid, ComposedChart, Tooltip, XAxis, YAxis } from 'recharts'
import { cartesianFrame, legendLayout, type LegendItem } from './frame'
import { AxisTitles, ChartLegend, type ChartSizeProps, xAxisLook, yAxisLook } from './parts'
import { LIGHT_PALETTE, type ChartPalette } from './theme'

/**
 * The frame of a chart of one 1–5 score against another (jury against clinicians, jury against
 * calibrated): both axes 1–5 with a tick per point, titles with the scale, a legend on top.
 */

export const SCORE_TICKS = [1, 2, 3, 4, 5]
const scoreTick = (v: number) => String(v)

export interface ScoreChartProps extends ChartSizeProps {
  xTitle: string
  yTitle: string
  legend: (p: ChartPalette) => LegendItem[]
  children: (p: ChartPalette) => ReactNode
}

export function ScoreChart(props: ScoreChartProps) {
  const { width, height } = props
  const palette = props.palette ?? LIGHT_PALETTE
  const legend = legendLayout(props.legend(palette), 8, width - 16)
  const frame = cartesianFrame({
    width,
    height,
    yTicks: SCORE_TICKS.map(scoreTick),
    xTicks: SCORE_TICKS.map(scoreTick),
    legendHeight: legend.height,
  })
  return (
    <ComposedChart width={width} height={height} margin={frame.margin} accessibilityLayer={false}>
      <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" />
      <XAxis
        type="number"
        dataKey="x"
        domain={[1, 5]}
        ticks={SCORE_TICKS}
        allowDataOverflow
        {...xAxisLook(frame, palette)}
      />
      <YAxis
        type="number"
        dataKey="y"
        domain={[1, 5]}
        ticks={SCORE_TICKS}
        allowDataOverflow
        {...yAxisLook(frame, palette)}
      />
      {props.static ? null : <Tooltip formatter={(v) => Number(v).toFixed(2)} cursor={false} />}
      {props.children(palette)}
      <ChartLegend items={legend.items} palette={palette} />
      <AxisTitles frame={frame} x={props.xTitle} y={props.yTitle} palette={palette} />
    </ComposedChart>
  )
}
