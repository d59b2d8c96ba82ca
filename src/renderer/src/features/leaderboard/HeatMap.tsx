import { useRef, type KeyboardEvent } from 'react'
import { cellLookup, type Leaderboard, type LeaderboardColumn } from '../../../../shared/api/leaderboard'
import { cellLabel, countsText, heat01, intervalText } from './format'

/**
 * Models × benchmarks on the 0–1 scale, benchmarks grouped by category. Every cell is reachable
 * with Tab and the arrow keys and says what it holds (score, scale, counts).
 */
export function HeatMap({ data }: { data: Leaderboard }) {
  const grid = useRef<HTMLTableElement>(null)
  const groups: { id: string; name: string; columns: LeaderboardColumn[] }[] = []
  for (const col of data.columns) {
    const id = col.categoryId ?? 'unplaced'
    const last = groups[groups.length - 1]
    if (last && last.id === id) last.columns.push(col)
    else groups.push({ id, name: col.categoryName, columns: [col] })
  }
  const cellAt = cellLookup(data.cells)

  const move = (e: KeyboardEvent<HTMLTableCellElement>, row: number, col: number) => {
    const delta: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    }
    const d = delta[e.key]
    if (!d) return
    const next = grid.current?.querySelector<HTMLElement>(`[data-cell="${row + d[0]}:${col + d[1]}"]`)
    if (next) {
      e.preventDefault()
      next.focus()
    }
  }

  return (
    <div className="lb-table-wrap">
      <table className="lb-heat" ref={grid} data-testid="lb-heatmap">
        <caption>
          Normalised score per benchmark (0–1; jury 1–5 rescaled as (x − 1) / 4). Use the arrow keys to move
          between cells.
        </caption>
        <thead>
          <tr>
            <td />
            {groups.map((g) => (
              <th scope="colgroup" colSpan={g.columns.length} key={g.id} className="lb-cat-head">
                {g.name}
              </th>
            ))}
          </tr>
          <tr>
            <th scope="col">Model</th>
            {data.columns.map((c) => (
              <th scope="col" key={c.key} title={`${c.subcategoryName} · ${c.metric}`}>
                {c.benchmarkName}
                <div className="muted lb-small">
                  {c.metric}
                  {c.rescaled ? ' (1–5 → 0–1)' : ''}
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r, i) => (
            <tr key={r.modelKey}>
              <th scope="row">{r.modelKey}</th>
              {data.columns.map((col, j) => {
                const cell = cellAt(r.modelKey, col.key)
                const value = cell?.normalized ?? null
                return (
                  <td
                    key={col.key}
                    tabIndex={0}
                    data-cell={`${i}:${j}`}
                    aria-label={cellLabel(r.modelKey, col, cell)}
                    title={cell ? `${intervalText(col, cell)}\n${countsText(cell.counts)}` : 'not run'}
                    data-wide={cell?.wide ? 'true' : undefined}
                    className={`lb-heat-cell${cell?.partial ? ' lb-partial' : ''}${value === null ? ' lb-empty' : ''}${cell?.wide ? ' lb-wide' : ''}`}
                    style={value === null ? undefined : { background: heat01(value) }}
                    onKeyDown={(e) => move(e, i, j)}
                  >
                    <span aria-hidden="true">
                      {value === null ? '—' : value.toFixed(2)}
                      {cell?.wide ? <span className="lb-wide-mark">±</span> : null}
                      {cell && cell.ci ? (
                        <span className="lb-small lb-ci">
                          {(col.rescaled ? (cell.ci.lo - 1) / 4 : cell.ci.lo).toFixed(2)}–
                          {(col.rescaled ? (cell.ci.hi - 1) / 4 : cell.ci.hi).toFixed(2)}
                        </span>
                      ) : null}
                      {cell?.partial ? (
                        <span className="lb-small lb-count">
                          {cell.counts.scored}/{cell.counts.total}
                        </span>
                      ) : null}
                    </span>
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted lb-small">
        Under each score: its 95% interval on 0–1. A ± and a dashed border mark an interval wider than 0.2 —
        too few instances to tell models apart there. A count such as 3/6 marks a partial cell: only that many
        instances are scored, and the score is their mean.
      </p>
    </div>
  )
}
