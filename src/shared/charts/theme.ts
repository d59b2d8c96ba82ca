/**
 * Colours and type of every chart, as literal values: the same SVG is drawn on the screen and in
 * the report, which has none of the app's CSS. Helvetica's metrics (Arial and Liberation Sans share
 * them) are what ./text.ts measures labels with, so a label sized here fits in both.
 */

export interface ChartPalette {
  /** Axis titles, tick labels, point labels. */
  text: string
  /** Axis lines and ticks. */
  axis: string
  /** Grid lines. */
  grid: string
  /** The main series (and data on this machine). */
  primary: string
  /** A second series, lighter. */
  primarySoft: string
  /** Data that left the machine. */
  offMachine: string
  offMachineSoft: string
  /** Reference lines (equality, "no change"). */
  reference: string
  /** A fitted trend or frontier. */
  highlight: string
  /** The plot's background (behind labels). */
  background: string
}

export const LIGHT_PALETTE: ChartPalette = {
  text: '#1b2430',
  axis: '#5b6676',
  grid: '#dde2e8',
  primary: '#0b6e79',
  primarySoft: '#7fb8bf',
  offMachine: '#b3261e',
  offMachineSoft: '#e79a94',
  reference: '#6b7280',
  highlight: '#b45309',
  background: '#ffffff',
}

export const DARK_PALETTE: ChartPalette = {
  text: '#e3e8ee',
  axis: '#9aa6b4',
  grid: '#2c3642',
  primary: '#4fb3bf',
  primarySoft: '#2c6f78',
  offMachine: '#ff8a80',
  offMachineSoft: '#a4544d',
  reference: '#9aa6b4',
  highlight: '#f0a64a',
  background: '#1a2129',
}

export const CHART_FONT = 'Helvetica, Arial, sans-serif'
/** Tick labels and point labels. */
export const TICK_SIZE = 12
/** Axis titles. */
export const AXIS_TITLE_SIZE = 12
