import { useEffect, useState, type FormEvent } from 'react'
import {
  DEFAULT_CALIBRATION_FOLDS,
  MIN_CALIBRATION_ITEMS,
  type Calibration,
  type CalibrationAgreement,
} from '../../../../shared/api/calibration'
import type { IccValue } from '../../../../shared/api/review'
import { CalibrationChart } from '../../../../shared/charts'
import { SizedChart } from '../../components/SizedChart'
import { useCalibration } from './calibration-store'
import { useReview } from './store'
import './calibration.css'

const fmt = (x: number) => x.toFixed(2)
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`
const icc = (v: IccValue | null) =>
  v === null ? '—' : v.ci95 ? `${fmt(v.value)} (95% CI ${fmt(v.ci95[0])} to ${fmt(v.ci95[1])})` : fmt(v.value)

/** The plain-language result: how far off the jury is before and after, on items it was not fitted on. */
export function calibrationVerdict(c: Calibration): string {
  const before = c.before.meanAbsError
  const after = c.after.meanAbsError
  const better = after < before
  return `On items the map was not fitted on, the calibrated jury is off by ${fmt(after)} points on average (1–5 scale), against ${fmt(before)} for the raw jury: ${better ? 'calibration brings the jury closer to your clinicians' : 'calibration does not help on these items'}.`
}

function AgreementRow({ label, a }: { label: string; a: CalibrationAgreement }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{a.items}</td>
      <td>{signed(a.meanDifference)}</td>
      <td>{fmt(a.meanAbsError)}</td>
      <td>{icc(a.iccAbsolute)}</td>
      <td>{icc(a.iccConsistency)}</td>
    </tr>
  )
}

function CalibrationResult({ c }: { c: Calibration }) {
  const knots = c.map.x.length
  return (
    <div data-testid="calibration-result">
      <p>
        <span className="rv-cal-label">{c.label}</span>
        {c.id !== null ? ` · stored as calibration ${c.id}` : ''} · {c.folds}-fold cross-validation, seed{' '}
        {c.seed}
      </p>
      <p data-testid="calibration-verdict">{calibrationVerdict(c)}</p>
      <div className="we-table-wrap">
        <table aria-label="Agreement with the clinicians before and after calibration, on held-out items">
          <thead>
            <tr>
              <th scope="col">Jury score</th>
              <th scope="col">Items</th>
              <th scope="col">Mean difference</th>
              <th scope="col">Mean absolute error</th>
              <th scope="col">ICC(2,1) absolute agreement</th>
              <th scope="col">ICC(3,k) z-scored (MedHELM)</th>
            </tr>
          </thead>
          <tbody>
            <AgreementRow label="Raw (before)" a={c.before} />
            <AgreementRow label="Calibrated (after)" a={c.after} />
          </tbody>
        </table>
      </div>
      <h3>Calibration map: jury composite → clinicians&apos; mean (1–5)</h3>
      <SizedChart
        height={320}
        label={`Calibration map with ${knots} fitted points, from jury score to calibrated score`}
        testId="calibration-chart"
      >
        {(size) => <CalibrationChart data={c} {...size} width={Math.min(size.width, 640)} />}
      </SizedChart>
      {[c.before.note, c.after.note].filter(Boolean).map((n) => (
        <p key={n} className="muted small">
          {n}
        </p>
      ))}
      <p className="muted small">
        The leaderboard can show calibrated jury scores beside the raw ones (Leaderboard → “Show calibrated
        jury scores”); raw scores are never replaced, in exports neither.
      </p>
    </div>
  )
}

/** Fit the jury to the clinicians on one or more review sets, and see whether it helps on held-out items. */
export function CalibrationPanel({ setId }: { setId: number }) {
  const sets = useReview((s) => s.sets)
  const { calibration, calibrations, fitting, fitError, fit, loadCalibrations } = useCalibration()
  const [chosen, setChosen] = useState<number[]>([setId])
  const [folds, setFolds] = useState(DEFAULT_CALIBRATION_FOLDS)
  const [seed, setSeed] = useState(0)
  // Mounted per set (keyed by the set id): the chosen sets start from the one on screen.
  useEffect(() => {
    void loadCalibrations()
  }, [loadCalibrations])
  const toggle = (id: number) =>
    setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id].sort((a, b) => a - b)))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void fit({ setIds: chosen, folds, seed })
  }
  const shown = calibration ?? calibrations.find((c) => c.setIds.includes(setId)) ?? null
  return (
    <section className="panel" aria-labelledby="rv-cal-h" data-testid="calibration-panel">
      <h2 id="rv-cal-h">Calibrate the jury to your clinicians</h2>
      <p className="muted">
        A jury that is systematically harsher or more lenient than your clinicians can be corrected: WardEval
        fits a monotone map from the jury&apos;s score (mean of the criteria) to the clinicians&apos; mean, on
        the rated items of the sets you choose (at least {MIN_CALIBRATION_ITEMS}). Whether it helps is
        measured on items left out of the fit (k-fold cross-validation).
      </p>
      <form className="rv-cal-form" onSubmit={submit}>
        <fieldset>
          <legend>Review sets</legend>
          {sets.map((s) => (
            <label key={s.id}>
              <input type="checkbox" checked={chosen.includes(s.id)} onChange={() => toggle(s.id)} />
              Set {s.id} ({s.benchmarkId})
            </label>
          ))}
        </fieldset>
        <label>
          Folds
          <input
            type="number"
            min={2}
            max={20}
            value={folds}
            onChange={(e) => setFolds(Number(e.target.value))}
          />
        </label>
        <label>
          Seed
          <input type="number" min={0} value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
        </label>
        <button type="submit" className="primary" disabled={fitting || chosen.length === 0}>
          {fitting ? 'Fitting…' : 'Fit calibration'}
        </button>
      </form>
      {fitError ? (
        <p role="alert" className="rv-panel-error" data-testid="calibration-error">
          {fitError}
        </p>
      ) : null}
      {shown ? (
        <CalibrationResult c={shown} />
      ) : (
        <p className="muted" data-testid="calibration-none">
          No calibration of this set yet.
        </p>
      )}
    </section>
  )
}
