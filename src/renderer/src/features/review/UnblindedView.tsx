import { useReview } from './store'

const fmt = (x: number | null) => (x === null ? '—' : Number.isInteger(x) ? String(x) : x.toFixed(2))

/** After rating a whole set: each output's model, and the jury's scores next to the reviewer's. */
export function UnblindedView() {
  const items = useReview((s) => s.unblinded)
  const reviewer = useReview((s) => s.reviewer)
  const back = useReview((s) => s.back)
  if (!items) return null
  const criteria = items[0]?.rows.map((r) => ({ id: r.criterion, name: r.name })) ?? []
  return (
    <>
      <div className="rv-actions">
        <button type="button" onClick={back}>
          ← All review sets
        </button>
      </div>
      <section className="panel" aria-labelledby="rv-unblind-h" data-testid="unblinded-view">
        <h2 id="rv-unblind-h">Your ratings next to the jury&apos;s</h2>
        <p className="muted">
          {reviewer?.name}: each output in the order you rated it, with the model that wrote it. The
          jury&apos;s score is the mean of its judges&apos; valid votes (each judge&apos;s vote in the
          tooltip).
        </p>
        <div className="we-table-wrap">
          <table aria-label="Clinician and jury scores per output">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Instance</th>
                <th scope="col">Model</th>
                {criteria.map((c) => (
                  <th key={c.id} scope="col">
                    {c.name}
                    <div className="muted small">you / jury</div>
                  </th>
                ))}
                <th scope="col">Comment</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.runItemId}>
                  <td>{item.position + 1}</td>
                  <td>
                    <code>{item.instanceId}</code>
                  </td>
                  <td>{item.modelKey}</td>
                  {item.rows.map((r) => {
                    const diff = r.clinician !== null && r.jury !== null ? r.clinician - r.jury : null
                    return (
                      <td
                        key={r.criterion}
                        title={r.votes.map((v) => `${v.judge}: ${v.score ?? 'failed'}`).join('\n')}
                        className={diff !== null && Math.abs(diff) >= 2 ? 'rv-far' : undefined}
                      >
                        <strong>{fmt(r.clinician)}</strong> / {fmt(r.jury)}
                        {diff !== null && Math.abs(diff) >= 2 ? (
                          <span className="sr-only"> (differs by 2 or more)</span>
                        ) : null}
                      </td>
                    )
                  })}
                  <td className="small">{item.comment}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted small">Highlighted: your score and the jury&apos;s differ by 2 or more.</p>
      </section>
    </>
  )
}
