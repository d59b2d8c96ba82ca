import type { Virtualizer } from '@tanstack/react-virtual'

/** The space above and below the rows a virtualised table renders (0 when there is none). */
export function virtualPadding(v: Virtualizer<HTMLDivElement, Element>): { top: number; bottom: number } {
  const items = v.getVirtualItems()
  return {
    top: items[0]?.start ?? 0,
    bottom: items.length ? v.getTotalSize() - items[items.length - 1]!.end : 0,
  }
}

/** A spacer row of a virtualised table: keeps the scroll height while rows outside the view are not rendered. */
export function PadRow({ height, colSpan }: { height: number; colSpan: number }) {
  if (height <= 0) return null
  return (
    <tr aria-hidden="true">
      <td colSpan={colSpan} style={{ height, padding: 0, border: 0 }} />
    </tr>
  )
}
