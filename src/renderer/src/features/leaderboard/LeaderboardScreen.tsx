import { useEffect } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { ErrorBanner } from '../../components/ErrorBanner'
import { PageHeader } from '../../components/PageHeader'
import { JobProgressBar } from '../../components/JobProgressBar'
import { useNav } from '../../stores/nav'
import { CalibratedScores } from './CalibratedScores'
import { CostScatter } from './CostScatter'
import { ExportReportDialog } from './ExportReportDialog'
import { HeatMap } from './HeatMap'
import { PairwiseMatrix } from './PairwiseMatrix'
import { PricesPanel } from './PricesPanel'
import { RankedTable } from './RankedTable'
import { RunPicker } from './RunPicker'
import { StatisticsGuide } from './StatisticsGuide'
import { PairingBanner } from './PairingBanner'
import { useLeaderboard } from './store'
import { ExportDataMenu } from '../export/ExportDataMenu'
import './leaderboard.css'

/**
 * MedHELM's leaderboard over the runs in this database: models ranked by mean win rate, the
 * macro-average of the normalised scores, a heat map models × benchmarks, cost and runtime against
 * win rate, and the prices the cost is computed with.
 */
export function LeaderboardScreen() {
  const go = useNav((s) => s.go)
  const { data, error, loading, categoryId, unpaired, adjust, progress, calibrated } = useLeaderboard()
  const { load, setCategory, setRuns, setView, setCalibrated, dismiss } = useLeaderboard.getState()

  useEffect(() => {
    void load()
  }, [load])

  const nothingScored = data !== null && data.runs.length === 0
  return (
    <>
      <PageHeader
        title="Leaderboard"
        subtitle="Mean win rate and macro-average across benchmarks, with runtime and cost (MedHELM)."
        actions={
          data !== null && !nothingScored ? (
            <div className="lb-exports">
              {data.rows.length > 0 ? <ExportDataMenu data={data} /> : null}
              <ExportReportDialog data={data} />
            </div>
          ) : null
        }
      />
      <ErrorBanner message={error} onDismiss={dismiss} />
      {data === null ? (
        <p className="muted" role="status">
          {loading ? 'Loading…' : ''}
        </p>
      ) : nothingScored ? (
        <EmptyState
          title="No scored run yet"
          testId="lb-empty"
          action={
            <button type="button" className="primary" onClick={() => go('runs')}>
              Open Runs
            </button>
          }
        >
          <p>
            The leaderboard compares models on the scores of their runs. Run one or more models on your
            benchmarks in <strong>Runs</strong>, then score the run there (<em>Score run</em>: closed tasks
            are scored as they run, open tasks need the jury). Come back here to compare them.
          </p>
        </EmptyState>
      ) : (
        <>
          <div className="lb-controls panel">
            <label>
              Category{' '}
              <select
                value={categoryId ?? ''}
                onChange={(e) => void setCategory(e.target.value === '' ? null : e.target.value)}
                data-testid="lb-category"
              >
                <option value="">All categories (overall)</option>
                {data.categories.map((c) => (
                  <option key={c.id} value={c.id} disabled={c.columns === 0}>
                    {c.name} ({c.columns} {c.columns === 1 ? 'benchmark' : 'benchmarks'})
                  </option>
                ))}
              </select>
            </label>
            <label>
              p-value adjustment{' '}
              <select
                value={adjust}
                onChange={(e) => void setView({ adjust: e.target.value === 'bh' ? 'bh' : 'holm' })}
                className="lb-adjust"
                data-testid="lb-adjust"
              >
                <option value="holm">Holm (family-wise error)</option>
                <option value="bh">Benjamini–Hochberg (false discovery rate)</option>
              </select>
            </label>
            <fieldset className="lb-view">
              <legend>Instances compared</legend>
              <label>
                <input
                  type="radio"
                  name="lb-view"
                  checked={!unpaired}
                  onChange={() => void setView({ unpaired: false })}
                  data-testid="lb-view-paired"
                />{' '}
                Paired: common instances (recommended)
              </label>
              <label>
                <input
                  type="radio"
                  name="lb-view"
                  checked={unpaired}
                  onChange={() => void setView({ unpaired: true })}
                  data-testid="lb-view-unpaired"
                />{' '}
                Each model&apos;s own instances (unpaired)
              </label>
            </fieldset>
            <RunPicker key={(data.runIds ?? []).join(',')} data={data} onApply={(ids) => void setRuns(ids)} />
            <label>
              <input
                type="checkbox"
                checked={calibrated}
                onChange={(e) => void setCalibrated(e.target.checked)}
                data-testid="lb-calibrated"
              />{' '}
              Show calibrated jury scores
            </label>

            {loading && !progress ? (
              <span className="muted" role="status">
                Updating…
              </span>
            ) : null}
          </div>
          <JobProgressBar progress={progress} />
          {data.statistics.view === 'unpaired' ? (
            <p className="lb-view-label" role="note" data-testid="lb-unpaired-label">
              Unpaired view: each model on its own instances. Models may have answered different questions; no
              significance tests are made.
            </p>
          ) : null}
          <PairingBanner data={data} />
          {data.rows.length === 0 ? (
            <EmptyState title="Nothing scored in this selection" testId="lb-empty-selection">
              <p>
                None of the chosen runs has scores on this category&apos;s benchmarks. Choose another category
                or other runs.
              </p>
            </EmptyState>
          ) : (
            <>
              <section className="panel" aria-labelledby="lb-ranked-h">
                <h2 id="lb-ranked-h">Ranking</h2>
                <RankedTable data={data} />
              </section>
              {data.notes.length > 0 ? (
                <ul className="lb-notes" aria-label="About these numbers" data-testid="lb-notes">
                  {data.notes.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              ) : null}
              {data.calibration ? <CalibratedScores data={data} /> : null}
              <section className="panel" aria-labelledby="lb-heat-h">
                <h2 id="lb-heat-h">Scores by benchmark</h2>
                <HeatMap data={data} />
              </section>
              <section className="panel" aria-labelledby="lb-pairs-h">
                <h2 id="lb-pairs-h">Which differences are real</h2>
                <PairwiseMatrix data={data} />
              </section>
              <StatisticsGuide data={data} />
              <CostScatter data={data} />
            </>
          )}
          <PricesPanel data={data} />
        </>
      )}
    </>
  )
}
