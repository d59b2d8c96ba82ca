/** @jsxRuntime automatic */
// (The pragma: tsx runs this from source in the report's chart worker and reads no jsx option.)
import { ReferenceLine, Scatter } from 'recharts'
import type { ReviewAgreement } from '../api/review'
import type { ChartSizeProps } from './parts'
import { ScoreChart } from './ScoreChart'

/**
 * Jury against clinicians, one point per rated output (each side's mean of the criteria, 1–5): the
 * line where both agree and the least-squares trend. Drawn alike on Agreement and in the report.
 */

export interface AgreementChartProps extends ChartSizeProps {
  data: ReviewAgreement
}

export const AGREEMENT_X_TITLE = 'Jury score (mean of criteria, 1–5 points)'
export const AGREEMENT_Y_TITLE = 'Clinicians’ score (1–5 points)'

export function AgreementChart(props: AgreementChartProps) {
  const { data } = props
  const fit = data.fit
  const points = data.points.map((p) => ({ x: p.jury, y: p.clinicians }))
  return (
    <ScoreChart
      {...props}
      xTitle={AGREEMENT_X_TITLE}
      yTitle={AGREEMENT_Y_TITLE}
      legend={(p) => [
        { label: `Rated outputs (${points.length})`, color: p.primary, swatch: 'dot' },
        { label: 'Same score', color: p.reference, swatch: 'dash' },
        ...(fit ? [{ label: 'Trend of the clinicians', color: p.highlight, swatch: 'line' as const }] : []),
      ]}
    >
      {(p) => [
        <ReferenceLine
          key="same"
          segment={[
            { x: 1, y: 1 },
            { x: 5, y: 5 },
          ]}
          stroke={p.reference}
          strokeDasharray="6 4"
        />,
        fit ? (
          <ReferenceLine
            key="fit"
            segment={[
              { x: 1, y: fit.intercept + fit.slope },
              { x: 5, y: fit.intercept + 5 * fit.slope },
            ]}
            stroke={p.highlight}
            strokeWidth={2}
            ifOverflow="hidden"
          />
        ) : null,
        <Scatter
          key="points"
          name="Output (jury, clinicians)"
          data={points}
          fill={p.primary}
          fillOpacity={0.6}
          isAnimationActive={false}
        />,
      ]}
    </ScoreChart>
  )
}
