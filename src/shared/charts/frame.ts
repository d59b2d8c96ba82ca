import { AXIS_TITLE_SIZE, TICK_SIZE } from './theme'
import { textWidth, widest } from './text'

/**
 * The space around a cartesian plot, computed from the labels it has to hold (so none is clipped):
 * the legend on top, the y tick labels and title on the left, the x tick labels and title below,
 * and on the right half of the last x tick label (ticks are centred on their value).
 */

export interface Margin {
  top: number
  right: number
  bottom: number
  left: number
}

export interface CartesianFrame {
  /** Passed to the chart: outside the axes. */
  margin: Margin
  yAxisWidth: number
  xAxisHeight: number
  /** The plotting area in px. */
  plot: { left: number; top: number; right: number; bottom: number }
  /** Where the axis titles go. */
  xTitle: { x: number; y: number }
  yTitle: { x: number; y: number }
}

const TITLE_BAND = AXIS_TITLE_SIZE + 10
const PAD = 6

export interface FrameInput {
  width: number
  height: number
  /** The y axis's tick labels as drawn. */
  yTicks: readonly string[]
  /** The x axis's tick labels as drawn (first and last decide the side overhang). */
  xTicks: readonly string[]
  legendHeight: number
  /** Extra room on the right (e.g. value labels at the end of bars). */
  rightExtra?: number
}

export function cartesianFrame(f: FrameInput): CartesianFrame {
  const yAxisWidth = Math.ceil(widest(f.yTicks, TICK_SIZE)) + 14
  const xAxisHeight = TICK_SIZE + 14
  const lastX = f.xTicks[f.xTicks.length - 1] ?? ''
  const margin: Margin = {
    top: f.legendHeight + PAD,
    right: Math.max(PAD + 4, Math.ceil(textWidth(lastX, TICK_SIZE) / 2) + PAD, f.rightExtra ?? 0),
    bottom: TITLE_BAND,
    left: TITLE_BAND,
  }
  const plot = {
    left: margin.left + yAxisWidth,
    top: margin.top,
    right: f.width - margin.right,
    bottom: f.height - margin.bottom - xAxisHeight,
  }
  return {
    margin,
    yAxisWidth,
    xAxisHeight,
    plot,
    xTitle: { x: (plot.left + plot.right) / 2, y: f.height - PAD },
    yTitle: { x: AXIS_TITLE_SIZE + 2, y: (plot.top + plot.bottom) / 2 },
  }
}

export interface LegendItem {
  label: string
  color: string
  /** dot: a filled circle; ring: an open circle; line/dash: a line; bar: a filled square. */
  swatch: 'dot' | 'ring' | 'line' | 'dash' | 'bar'
}

export interface PlacedLegendItem extends LegendItem {
  x: number
  y: number
}

const SWATCH = 22
const ITEM_GAP = 16
export const LEGEND_ROW = TICK_SIZE + 8

/** Legend items laid out in rows across `width` from `left`; the height they take. */
export function legendLayout(
  items: readonly LegendItem[],
  left: number,
  width: number,
): { items: PlacedLegendItem[]; height: number } {
  const placed: PlacedLegendItem[] = []
  let x = left
  let row = 0
  for (const item of items) {
    const w = SWATCH + textWidth(item.label, TICK_SIZE) + ITEM_GAP
    if (x > left && x + w > left + width) {
      row++
      x = left
    }
    placed.push({ ...item, x, y: row * LEGEND_ROW + LEGEND_ROW / 2 + 2 })
    x += w
  }
  return { items: placed, height: items.length ? (row + 1) * LEGEND_ROW + 4 : 0 }
}
