import { useEffect } from 'react'
import type { Estimate, JudgeBias } from '../../../../shared/api/calibration'
import { EmptyState } from '../../components/EmptyState'
import { useCalibration } from './calibration-store'
import './calibration.css'

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`

function EstimateText({ e, fmt = signed }: { e: Estimate | null; fmt?: (x: number) => string }) {
  if (!e) return <span className="muted">not computable</span>
  return (
    <>
      <span className="rv-icc">{fmt(e.value)}</span>{' '}
      <span className="muted small">
        {e.ci95 ? `95% CI ${fmt(e.ci95[0])} to ${fmt(e.ci95[1])}` : 'no interval'}
      </span>
    </>
  )
}

/** A clinician-readable sentence about one judge's leniency. */
export function leniencyVerdict(j: JudgeBias): string {
  const name = j.judge === 'jury' ? 'The jury as a whole' : j.judge
  const l = j.leniency
  if (!l) return `${name}: no item rated by both it and a clinician yet.`
  if (Math.abs(l.value) < 0.005)
    return `${name} scores as the clinicians do on average (1–5 scale; difference ${l.value.toFixed(2)}).`
  const size = Math.abs(l.value).toFixed(2)
  const direction = l.value >= 0 ? 'higher' : 'lower'
  const sure =
    l.ci95 && (l.ci95[0] > 0 || l.ci95[1] < 0)
      ? 'a consistent difference'
      : 'the interval includes no difference'
  return `${name} scores ${size} points ${direction} than the clinicians on average (1–5 scale; ${sure}).`
}

function FamilyCell({ j }: { j: JudgeBias }) {
  if (j.family === null) return <span className="muted">—</span>
  return (
    <>
      {j.family}
      {j.familySource === 'name' ? <span className="muted small"> (from name)</span> : null}
      {j.sameFamily.length > 0 ? (
        <div>
          <span className="badge danger">
            same family as {j.sameFamily.map((s) => s.modelKey).join(', ')}
          </span>
          {j.sameFamily.map((s) =>
            s.excess ? (
              <div key={s.modelKey} className="muted small">
                extra leniency on {s.modelKey}: <EstimateText e={s.excess} />
              </div>
            ) : null,
          )}
        </div>
      ) : null}
    </>
  )
}

/** Each judge's leniency, verbosity and self-preference risk against the clinicians of the set. */
export function JudgeBiasPanel({ setId }: { setId: number }) {
  const { bias, biasError } = useCalibration()
  useEffect(() => {
    void useCalibration.getState().loadBias(setId)
  }, [setId])
  return (
    <section className="panel" aria-labelledby="rv-bias-h" data-testid="bias-panel">
      <h2 id="rv-bias-h">Judge bias against the clinicians</h2>
      <p className="muted">
        Leniency is how much higher (+) or lower (−) a judge scores than the clinicians, on the mean of the
        criteria. Verbosity is the correlation between that difference and the length of the response: above
        0, the judge rewards longer answers more than the clinicians do. A judge of the same model family as
        an evaluated model may favour it. Intervals: 95%, seeded bootstrap over items.
      </p>
      {biasError ? (
        <p role="alert" className="rv-panel-error">
          {biasError}
        </p>
      ) : !bias ? (
        <p className="muted" role="status">
          Loading…
        </p>
      ) : bias.ratedItems === 0 ? (
        <EmptyState title="No rated item yet" testId="bias-empty">
          The bias report compares each judge with the clinicians on the items they rated. Rate some items of
          this set first.
        </EmptyState>
      ) : (
        <BiasTable />
      )}
    </section>
  )
}

function BiasTable() {
  const bias = useCalibration((s) => s.bias)!
  return (
    <>
      <ul className="rv-verdicts" data-testid="bias-verdicts">
        {bias.judges.map((j) => (
          <li key={j.judge}>{leniencyVerdict(j)}</li>
        ))}
      </ul>
      <div className="we-table-wrap">
        <table aria-label="Judge bias against the clinicians" data-testid="bias-table">
          <thead>
            <tr>
              <th scope="col">Judge</th>
              <th scope="col">Items</th>
              <th scope="col">Leniency (points, 1–5)</th>
              <th scope="col">Verbosity (r)</th>
              <th scope="col">Model family</th>
            </tr>
          </thead>
          <tbody>
            {bias.judges.map((j) => (
              <tr key={j.judge}>
                <th scope="row">{j.judge === 'jury' ? 'Jury (mean of the judges)' : j.judge}</th>
                <td>{j.items}</td>
                <td>
                  <EstimateText e={j.leniency} />
                </td>
                <td>
                  <EstimateText e={j.verbosity} />
                </td>
                <td>
                  <FamilyCell j={j} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small" data-testid="bias-exclusion">
        Jury settings:{' '}
        {bias.excludeSameFamily
          ? 'judges of an evaluated model’s own family are left out of its jury scores.'
          : 'every judge counts in every jury score. To leave same-family judges out, change the jury settings in Runs (Scoring) and score the run again.'}
      </p>
      {bias.notes.length ? (
        <ul className="muted small" aria-label="Notes on the bias report">
          {bias.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </>
  )
}
