import type { AuditSummary, DestinationSummary } from '../api/models'
import { hostPort } from '../format'
import { legendLayout, type LegendItem } from './frame'
import { textWidth, truncateText } from './text'
import { AXIS_TITLE_SIZE, LIGHT_PALETTE, TICK_SIZE, type ChartPalette } from './theme'

/** The audit volume chart's data and layout, without React (the report's main side uses it too). */

/** Height of one destination's row (its two bars). */
export const AUDIT_ROW = 40

/** Destinations drawn; the rest are in the table beside the chart. */
export const MAX_DESTINATIONS = 12

export const MAX_NAME = 190

/** Off the machine first, then by bytes exchanged: what a privacy officer looks for first. */
export function chartedDestinations(data: AuditSummary): DestinationSummary[] {
  return [...data.destinations]
    .sort(
      (a, b) =>
        Number(a.loopback) - Number(b.loopback) ||
        b.bytesSent + b.bytesReceived - (a.bytesSent + a.bytesReceived) ||
        hostPort(a.host, a.port).localeCompare(hostPort(b.host, b.port)),
    )
    .slice(0, MAX_DESTINATIONS)
}

export function auditLegend(p: ChartPalette): LegendItem[] {
  return [
    { label: 'Sent off the machine', color: p.offMachine, swatch: 'bar' },
    { label: 'Received from off the machine', color: p.offMachineSoft, swatch: 'bar' },
    { label: 'Sent on this machine (loopback)', color: p.primary, swatch: 'bar' },
    { label: 'Received on this machine', color: p.primarySoft, swatch: 'bar' },
  ]
}

/** The height the chart needs at this width for its destinations (legend rows + one row each). */
export function auditChartHeight(data: AuditSummary, width: number): number {
  const legend = legendLayout(auditLegend(LIGHT_PALETTE), 8, width - 16).height
  // At least tall enough for the vertical axis title beside one or two rows.
  const plot = Math.max(
    chartedDestinations(data).length * AUDIT_ROW,
    textWidth(AUDIT_Y_TITLE, AXIS_TITLE_SIZE) + 16,
  )
  return Math.ceil(legend + 6 + plot + TICK_SIZE + 14 + 22)
}

export const AUDIT_Y_TITLE = 'Destination (host:port)'
export const AUDIT_X_TITLE = 'Bytes per destination, log scale (each step ×10 or ×1024)'

/** A destination's name on the chart: "host:port", the host cut with an ellipsis so the port stays. */
export function destinationLabel(d: Pick<DestinationSummary, 'host' | 'port'>): string {
  const full = hostPort(d.host, d.port)
  if (textWidth(full, TICK_SIZE) <= MAX_NAME) return full
  const port = d.port === null ? '' : `:${d.port}`
  return `${truncateText(d.host, MAX_NAME - textWidth(port, TICK_SIZE), TICK_SIZE)}${port}`
}
