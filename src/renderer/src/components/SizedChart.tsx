import { useEffect, useRef, useState, type ReactNode } from 'react'
import { DARK_PALETTE, LIGHT_PALETTE, type ChartPalette } from '../../../shared/charts'
import './sized-chart.css'

/**
 * A shared chart (src/shared/charts) on a screen: the chart takes a fixed size, so this measures
 * the width it is given and picks the light or dark palette. The box carries the chart's text
 * alternative (role img): screen readers read the data, not the drawing.
 */
export function SizedChart({
  height,
  label,
  testId,
  children,
}: {
  /** px, or from the measured width (e.g. a chart whose rows decide its height). */
  height: number | ((width: number) => number)
  label: string
  testId?: string
  children: (size: { width: number; height: number; palette: ChartPalette }) => ReactNode
}) {
  const ref = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(0)
  const dark = useDarkScheme()
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const measure = () => setWidth(Math.floor(el.getBoundingClientRect().width))
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [])
  const h = typeof height === 'function' ? height(width) : height
  return (
    <div
      ref={ref}
      className="sized-chart"
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ height: h }}
    >
      {/* The drawing itself is hidden from assistive technology: the label carries the data. */}
      <div aria-hidden="true">
        {width > 0 ? children({ width, height: h, palette: dark ? DARK_PALETTE : LIGHT_PALETTE }) : null}
      </div>
    </div>
  )
}

function useDarkScheme(): boolean {
  const query = '(prefers-color-scheme: dark)'
  const [dark, setDark] = useState(() => window.matchMedia(query).matches)
  useEffect(() => {
    const m = window.matchMedia(query)
    const on = () => setDark(m.matches)
    m.addEventListener('change', on)
    return () => m.removeEventListener('change', on)
  }, [])
  return dark
}
