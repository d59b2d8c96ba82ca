/** @jsxRuntime automatic */
// (The pragma: tsx runs this from source in the report's chart worker and reads no jsx option.)
import type { CartesianFrame, PlacedLegendItem } from './frame'
import { truncateText } from './text'
import { AXIS_TITLE_SIZE, CHART_FONT, TICK_SIZE, type ChartPalette } from './theme'

/** Props every chart takes: a fixed size, and `static` for documents (no tooltip, no interaction). */
export interface ChartSizeProps {
  width: number
  height: number
  /** For a document (the report): no tooltip, no animation, nothing interactive. */
  static?: boolean
  palette?: ChartPalette
}

/** Tick label style of every axis (attributes, not CSS: the report has no stylesheet). */
const tickStyle = (p: ChartPalette) => ({ fill: p.text, fontSize: TICK_SIZE, fontFamily: CHART_FONT })

/** Size and look of the x axis / y axis (drawn by recharts, sized by ./frame.ts). */
export const xAxisLook = (frame: CartesianFrame, p: ChartPalette) => ({
  height: frame.xAxisHeight,
  stroke: p.axis,
  tick: tickStyle(p),
})
export const yAxisLook = (frame: CartesianFrame, p: ChartPalette) => ({
  width: frame.yAxisWidth,
  stroke: p.axis,
  tick: tickStyle(p),
})

export function ChartLegend({ items, palette }: { items: PlacedLegendItem[]; palette: ChartPalette }) {
  return (
    <g data-part="legend">
      {items.map((it) => (
        <g key={it.label}>
          <Swatch item={it} />
          <text
            x={it.x + 22}
            y={it.y}
            dy="0.35em"
            fill={palette.text}
            fontSize={TICK_SIZE}
            fontFamily={CHART_FONT}
          >
            {it.label}
          </text>
        </g>
      ))}
    </g>
  )
}

function Swatch({ item }: { item: PlacedLegendItem }) {
  const { x, y, color } = item
  switch (item.swatch) {
    case 'dot':
      return <circle cx={x + 8} cy={y} r={5} fill={color} />
    case 'ring':
      return <circle cx={x + 8} cy={y} r={4.5} fill="none" stroke={color} strokeWidth={1.5} />
    case 'bar':
      return <rect x={x + 2} y={y - 5} width={12} height={10} fill={color} />
    case 'line':
      return <line x1={x} x2={x + 16} y1={y} y2={y} stroke={color} strokeWidth={2} />
    case 'dash':
      return <line x1={x} x2={x + 16} y1={y} y2={y} stroke={color} strokeWidth={2} strokeDasharray="4 3" />
  }
}

const fit = (text: string, room: number) => truncateText(text, room, AXIS_TITLE_SIZE)

/** The axis titles, with their units (cut with an ellipsis only when the chart is very small). */
export function AxisTitles({
  frame,
  x,
  y,
  palette,
}: {
  frame: CartesianFrame
  x: string
  y: string
  palette: ChartPalette
}) {
  const common = {
    fill: palette.text,
    fontSize: AXIS_TITLE_SIZE,
    fontFamily: CHART_FONT,
    textAnchor: 'middle' as const,
  }
  return (
    <g data-part="axis-titles">
      <text data-axis="x" x={frame.xTitle.x} y={frame.xTitle.y} {...common}>
        {fit(x, frame.plot.right - frame.plot.left + 40)}
      </text>
      <text
        data-axis="y"
        x={frame.yTitle.x}
        y={frame.yTitle.y}
        transform={`rotate(-90 ${frame.yTitle.x} ${frame.yTitle.y})`}
        {...common}
      >
        {fit(y, frame.plot.bottom - frame.plot.top + 20)}
      </text>
    </g>
  )
}
