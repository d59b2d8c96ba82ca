/** @jsxRuntime automatic */
// (The pragma: tsx runs this from source in the report's chart worker and reads no jsx option.)
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Tooltip, XAxis, YAxis } from 'recharts'
import type { AuditSummary } from '../api/models'
import { formatBytes, hostPort } from '../format'
import {
  AUDIT_X_TITLE,
  AUDIT_Y_TITLE,
  auditLegend,
  chartedDestinations,
  destinationLabel,
} from './audit-data'
import { byteAxis, byteTick } from './axis'
import { cartesianFrame, legendLayout } from './frame'
import { AxisTitles, ChartLegend, type ChartSizeProps, xAxisLook, yAxisLook } from './parts'
import { widest } from './text'
import { CHART_FONT, LIGHT_PALETTE, TICK_SIZE } from './theme'

/**
 * Bytes sent to and received from each destination, off the machine and on it (loopback) in
 * different colours, on a log scale of bytes: 1 KB that left the machine stays visible beside
 * 100 MB exchanged with a local Ollama. Drawn alike on Privacy & Audit and in the report.
 */

export interface AuditVolumeChartProps extends ChartSizeProps {
  data: AuditSummary
}

export function AuditVolumeChart(props: AuditVolumeChartProps) {
  const { width, height } = props
  const palette = props.palette ?? LIGHT_PALETTE
  const dest = chartedDestinations(props.data)
  const scale = byteAxis(dest.flatMap((d) => [d.bytesSent, d.bytesReceived]))
  const names = dest.map((d) => hostPort(d.host, d.port))
  const shown = dest.map(destinationLabel)
  const shortName = new Map(names.map((n, i) => [n, shown[i]!]))
  const rows = dest.map((d, i) => ({
    // The full name is the category (two long names may be cut alike); the tick shows it cut.
    full: names[i]!,
    loopback: d.loopback,
    // 0 bytes has no place on a log scale: a bar of no length at the axis's start, labelled "0 B".
    sent: Math.max(d.bytesSent, scale.domain[0]),
    received: Math.max(d.bytesReceived, scale.domain[0]),
    sentText: formatBytes(d.bytesSent),
    receivedText: formatBytes(d.bytesReceived),
  }))
  const valueWidth = widest(
    rows.flatMap((r) => [r.sentText, r.receivedText]),
    TICK_SIZE - 1,
  )
  const legend = legendLayout(auditLegend(palette), 8, width - 16)
  const frame = cartesianFrame({
    width,
    height,
    yTicks: shown,
    xTicks: scale.ticks.map(byteTick),
    legendHeight: legend.height,
    rightExtra: Math.ceil(valueWidth) + 10,
  })
  const label = { fill: palette.text, fontSize: TICK_SIZE - 1, fontFamily: CHART_FONT }
  return (
    <BarChart
      width={width}
      height={height}
      data={rows}
      layout="vertical"
      margin={frame.margin}
      barGap={2}
      barCategoryGap={6}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" horizontal={false} />
      <XAxis
        type="number"
        scale="log"
        domain={scale.domain}
        ticks={scale.ticks}
        tickFormatter={byteTick}
        allowDataOverflow
        {...xAxisLook(frame, palette)}
      />
      <YAxis
        type="category"
        dataKey="full"
        tickFormatter={(v: string) => shortName.get(v) ?? v}
        {...yAxisLook(frame, palette)}
        interval={0}
      />
      {props.static ? null : (
        <Tooltip
          formatter={(_v, name, item) => {
            const row = item.payload as { sentText: string; receivedText: string }
            return [name === 'Sent' ? row.sentText : row.receivedText, name]
          }}
          labelFormatter={(full) => String(full)}
        />
      )}
      <Bar dataKey="sent" name="Sent" isAnimationActive={false}>
        {rows.map((r) => (
          <Cell key={r.full} fill={r.loopback ? palette.primary : palette.offMachine} />
        ))}
        <LabelList dataKey="sentText" position="right" {...label} />
      </Bar>
      <Bar dataKey="received" name="Received" isAnimationActive={false}>
        {rows.map((r) => (
          <Cell key={r.full} fill={r.loopback ? palette.primarySoft : palette.offMachineSoft} />
        ))}
        <LabelList dataKey="receivedText" position="right" {...label} />
      </Bar>
      <ChartLegend items={legend.items} palette={palette} />
      <AxisTitles frame={frame} x={AUDIT_X_TITLE} y={AUDIT_Y_TITLE} palette={palette} />
    </BarChart>
  )
}
