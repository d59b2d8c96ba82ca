import { cellLookup, type Leaderboard } from '../../../../shared/api/leaderboard'

const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(2))

/**
 * Jury scores calibrated to the hospital's clinicians, beside the raw ones, for the jury columns
 * the calibration covers. Always labelled with what it rests on; ranks stay on the raw scores.
 */
export function CalibratedScores({ data }: { data: Leaderboard }) {
  const cal = data.calibration
  if (!cal) return null
  const columns = data.columns.filter((c) => cal.columns.includes(c.key))
  const cellAt = cellLookup(data.cells)
  return (
    <section className="panel" aria-labelledby="lb-cal-h" data-testid="lb-calibrated-panel">
      <h2 id="lb-cal-h">Jury scores {cal.label}</h2>
      <p className="muted">
        Each instance&apos;s jury score (1–5) is mapped onto your clinicians&apos; scale by calibration{' '}
        {cal.id}, then averaged. Raw scores are shown beside them and stay what the ranking, the heat map and
        exports use.
      </p>
      {columns.length === 0 ? (
        <p className="muted">
          This calibration is for {cal.benchmarks.join(', ')}, none of which is on this leaderboard.
        </p>
      ) : (
        <div className="lb-table-wrap">
          <table aria-label={`Raw and calibrated jury scores, ${cal.label}`}>
            <thead>
              <tr>
                <th scope="col">Model</th>
                {columns.map((c) => (
                  <th scope="col" key={c.key}>
                    {c.benchmarkName}
                    <div className="muted lb-small">raw → calibrated (1–5)</div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.modelKey}>
                  <th scope="row">{r.modelKey}</th>
                  {columns.map((col) => {
                    const cell = cellAt(r.modelKey, col.key)
                    return (
                      <td key={col.key} data-testid={`lb-cal-${r.modelKey}-${col.key}`}>
                        {fmt(cell?.value ?? null)} → <strong>{fmt(cell?.calibrated?.value ?? null)}</strong>
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
