/**
 * Where to put the name beside each point of a scatter so that no two names overlap and none
 * leaves the plot: to the right of its point, else to the left, above or below; a name that fits
 * nowhere free goes to the right anyway (the tooltip and the table still name it).
 */

export interface LabelRequest {
  /** The point, in px. */
  x: number
  y: number
  width: number
  height: number
}

export interface PlacedLabel {
  /** Where the text is anchored, in px (y is the text's middle). */
  x: number
  y: number
  anchor: 'start' | 'end' | 'middle'
}

export interface Box {
  left: number
  top: number
  right: number
  bottom: number
}

const GAP = 7

function boxOf(p: PlacedLabel, r: LabelRequest): Box {
  const left = p.anchor === 'start' ? p.x : p.anchor === 'end' ? p.x - r.width : p.x - r.width / 2
  return { left, right: left + r.width, top: p.y - r.height / 2, bottom: p.y + r.height / 2 }
}

const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
const inside = (a: Box, area: Box) =>
  a.left >= area.left && a.right <= area.right && a.top >= area.top && a.bottom <= area.bottom

function candidates(r: LabelRequest): PlacedLabel[] {
  const v = r.height / 2 + GAP - 2
  return [
    { x: r.x + GAP, y: r.y, anchor: 'start' },
    { x: r.x - GAP, y: r.y, anchor: 'end' },
    { x: r.x, y: r.y - v, anchor: 'middle' },
    { x: r.x, y: r.y + v, anchor: 'middle' },
    { x: r.x + GAP, y: r.y - v, anchor: 'start' },
    { x: r.x + GAP, y: r.y + v, anchor: 'start' },
    { x: r.x - GAP, y: r.y - v, anchor: 'end' },
    { x: r.x - GAP, y: r.y + v, anchor: 'end' },
  ]
}

/** Pushes a box back inside `area` (as far as it fits). */
function clampInto(p: PlacedLabel, r: LabelRequest, area: Box): PlacedLabel {
  const b = boxOf(p, r)
  const dx = b.left < area.left ? area.left - b.left : b.right > area.right ? area.right - b.right : 0
  const dy = b.top < area.top ? area.top - b.top : b.bottom > area.bottom ? area.bottom - b.bottom : 0
  return { ...p, x: p.x + dx, y: p.y + dy }
}

/** One placement per request, in the same order; points are obstacles too. */
export function placeLabels(requests: readonly LabelRequest[], area: Box): PlacedLabel[] {
  const taken: Box[] = requests.map((r) => ({ left: r.x - 5, right: r.x + 5, top: r.y - 5, bottom: r.y + 5 }))
  const out = new Array<PlacedLabel>(requests.length)
  // Top to bottom, then left to right: a stable order, so the same data gives the same picture.
  const order = requests
    .map((_, i) => i)
    .sort((a, b) => requests[a]!.y - requests[b]!.y || requests[a]!.x - requests[b]!.x)
  for (const i of order) {
    const r = requests[i]!
    const free = candidates(r).find((c) => {
      const b = boxOf(c, r)
      return inside(b, area) && !taken.some((t) => overlaps(b, t))
    })
    const chosen = free ?? clampInto(candidates(r)[0]!, r, area)
    out[i] = chosen
    taken.push(boxOf(chosen, r))
  }
  return out
}
