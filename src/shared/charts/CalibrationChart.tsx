/** @jsxRuntime automatic */
// (The pragma: tsx runs this from source in the report's chart worker and reads no jsx option.)
import { Line } from 'recharts'
import type { Calibration } from '../api/calibration'
import type { ChartSizeProps } from './parts'
import { ScoreChart } from './ScoreChart'

/** The calibration map of the jury: its raw score (1–5) → the calibrated score, against "no change". */

export interface CalibrationChartProps extends ChartSizeProps {
  data: Calibration
}

/** The map's points, held flat beyond the fitted range out to 1 and 5 (as it is applied). */
export function calibrationPoints(c: Calibration): { x: number; y: number }[] {
  const knots = c.map.x.map((x, i) => ({ x, y: c.map.y[i] as number }))
  const first = knots[0]
  const last = knots[knots.length - 1]
  return [
    ...(first && first.x > 1 ? [{ x: 1, y: first.y }] : []),
    ...knots,
    ...(last && last.x < 5 ? [{ x: 5, y: last.y }] : []),
  ]
}

export function CalibrationChart(props: CalibrationChartProps) {
  const points = calibrationPoints(props.data)
  return (
    <ScoreChart
      {...props}
      xTitle="Jury score (1–5 points)"
      yTitle="Calibrated score (1–5 points)"
      legend={(p) => [
        { label: 'Calibrated score', color: p.primary, swatch: 'line' },
        { label: 'No change', color: p.reference, swatch: 'dash' },
      ]}
    >
      {(p) => [
        <Line
          key="same"
          data={[
            { x: 1, y: 1 },
            { x: 5, y: 5 },
          ]}
          dataKey="y"
          name="No change"
          stroke={p.reference}
          strokeDasharray="4 4"
          dot={false}
          isAnimationActive={false}
        />,
        <Line
          key="map"
          data={points}
          dataKey="y"
          name="Calibrated score"
          stroke={p.primary}
          strokeWidth={2}
          dot={{ r: 3, fill: p.primary }}
          isAnimationActive={false}
        />,
      ]}
    </ScoreChart>
  )
}
