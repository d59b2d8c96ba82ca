import { useEffect, useState } from 'react'
import type { MetricSummary, RunScoringReport } from '../../../../shared/api/jury'
import type { ProgressGroup } from '../../../../shared/api/runs'
import { api, errorMessage } from '../../lib/api'
import { useScoring } from '../scoring/store'

/**
 * A finished run's results at a glance: per benchmark × model the main metric and the jury score,
 * each with how many instances it rests on — instead of a wall of full progress bars.
 */
export function RunResults({ runId, groups }: { runId: number; groups: ProgressGroup[] }) {
  const [report, setReport] = useState<RunScoringReport | null>(null)
  const [error, setError] = useState<string | null>(null)
  // A scoring pass that ends changes the numbers: read them again.
  const scoringState = useScoring((s) => s.jobs[runId]?.state)
  useEffect(() => {
    if (scoringState === 'running') return
    let live = true
    api
      .invoke('jury:report', { runId })
      .then((r) => live && setReport(r))
      .catch((e: unknown) => live && setError(errorMessage(e)))
    return () => {
      live = false
    }
  }, [runId, scoringState])
  if (error) return <p className="error-text">Results could not be read: {error}</p>
  if (!report) return <p className="muted">Loading results…</p>
  const row = (g: ProgressGroup) =>
    report.rows.find((r) => r.benchmarkId === g.benchmarkId && r.modelKey === g.modelKey)
  return (
    <div
      className="we-table-wrap run-results"
      tabIndex={0}
      role="region"
      aria-label="Results by benchmark and model"
    >
      <table data-testid="run-results">
        <caption>
          Results by benchmark and model. Main metric: the benchmark&apos;s headline score (0–1). Jury: the
          judges&apos; mean on a 1–5 scale. n: instances the figure rests on.
        </caption>
        <thead>
          <tr>
            <th scope="col">Benchmark</th>
            <th scope="col">Model</th>
            <th scope="col">Instances</th>
            <th scope="col">Main metric</th>
            <th scope="col">Jury (1–5)</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => {
            const r = row(g)
            const main = r?.metrics.find((m) => m.main)
            const jury = r?.metrics.find((m) => m.metric === 'jury')
            return (
              <tr key={`${g.benchmarkId}|${g.modelKey}`}>
                <th scope="row">{r?.benchmarkName ?? g.benchmarkId}</th>
                <td>{g.modelKey}</td>
                <td className="run-num">
                  {g.done.toLocaleString()} answered
                  {g.failed ? <span className="badge danger"> {g.failed} failed</span> : null}
                  {g.total > g.done + g.failed ? (
                    <span className="muted"> · {(g.total - g.done - g.failed).toLocaleString()} pending</span>
                  ) : null}
                </td>
                <td>{main ? <MetricCell m={main} /> : <span className="muted">—</span>}</td>
                <td>{jury ? <MetricCell m={jury} /> : <span className="muted">no jury</span>}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function MetricCell({ m }: { m: MetricSummary }) {
  const notYet = m.missing > 0 ? `${m.missing.toLocaleString()} not scored yet` : null
  const lost = m.failed + m.unscored > 0 ? `${(m.failed + m.unscored).toLocaleString()} unscored` : null
  const extra = [lost, notYet].filter(Boolean).join(' · ')
  if (m.mean === null)
    return (
      <span className="muted">
        {m.metric}: {m.missing > 0 ? 'not scored yet — Score run' : 'no score'}
        {extra && m.missing === 0 ? ` (${extra})` : ''}
      </span>
    )
  const digits = m.metric === 'jury' ? 2 : 3
  return (
    <span>
      <span className="run-metric-name">{m.metric}</span> <strong>{m.mean.toFixed(digits)}</strong>
      {m.normalized !== null && m.metric === 'jury' ? (
        <span className="muted"> (0–1: {m.normalized.toFixed(2)})</span>
      ) : null}
      <span className="muted">
        {' '}
        · n = {m.ok.toLocaleString()}
        {extra ? ` · ${extra}` : ''}
      </span>
    </span>
  )
}
