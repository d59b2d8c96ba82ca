import { ExportResultsButton } from '../export/ExportResultsButton'
import { useEffect, useState } from 'react'
import type { RunDetail, RunProgress, RunSummary } from '../../../../shared/api/runs'
import { EmptyState } from '../../components/EmptyState'
import { ErrorBanner } from '../../components/ErrorBanner'
import { PageHeader } from '../../components/PageHeader'
import { ProgressBar } from '../../components/ProgressBar'
import { RunResults } from './RunResults'
import { api } from '../../lib/api'
import { useNav } from '../../stores/nav'
import { ItemBrowser } from './ItemBrowser'
import { NewRunForm } from './NewRunForm'
import { useRuns } from './store'
import './runs.css'
import { JudgeAgreement } from '../scoring/JudgeAgreement'
import { requestsText } from '../../../../shared/runs/requests-text'

function eta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'ETA unknown'
  const s = Math.round(seconds)
  if (s < 60) return `ETA ${s}s`
  if (s < 3600) return `ETA ${Math.floor(s / 60)}m ${s % 60}s`
  return `ETA ${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`
}

function statusLabel(r: Pick<RunSummary, 'status' | 'interrupted'>): string {
  return r.interrupted ? 'interrupted' : r.status
}

function StatusBadge(props: { run: Pick<RunSummary, 'status' | 'interrupted'> }) {
  const s = statusLabel(props.run)
  const tone =
    s === 'completed' ? 'ok' : s === 'failed' || s === 'interrupted' || s === 'cancelled' ? 'danger' : ''
  return (
    <span className={`badge ${tone}`} data-testid="run-status">
      {s}
    </span>
  )
}

function RunList() {
  const { runs, selectedId, select } = useRuns()
  return (
    <nav className="panel run-list" aria-label="Runs">
      <ul>
        {runs.map((r) => {
          const finished = r.counts.done + r.counts.failed
          return (
            <li key={r.id}>
              <button
                type="button"
                className={r.id === selectedId ? 'run-list-item active' : 'run-list-item'}
                aria-current={r.id === selectedId ? 'true' : undefined}
                onClick={() => void select(r.id)}
                data-testid={`run-${r.id}`}
              >
                <span className="run-list-title">
                  Run {r.id}
                  {r.name ? ` · ${r.name}` : ''}
                </span>
                <StatusBadge run={r} />
                <span
                  className="muted run-list-meta"
                  title={`${r.benchmarks.join(', ')} × ${r.models.join(', ')}`}
                >
                  {r.benchmarks.join(', ')} × {r.models.join(', ')} · {finished.toLocaleString()}/
                  {r.counts.total.toLocaleString()}
                </span>
              </button>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}

function RunPanel(props: { detail: RunDetail; live: RunProgress | undefined }) {
  const { detail, live } = props
  const { act, busy, exportManifest } = useRuns()
  const running = live ? live.status === 'running' : detail.status === 'running' && !detail.interrupted
  const counts = live?.counts ?? detail.counts
  const groups = live?.groups ?? detail.groups
  const status = live ? { status: live.status, interrupted: false } : detail
  // Progress bars while a run can still move; a summary of its results once it has stopped.
  const shownStatus = live?.status ?? detail.status
  const finished = !running && shownStatus !== 'paused' && shownStatus !== 'pending' && !detail.interrupted
  const canResume =
    !running &&
    (detail.status === 'paused' ||
      detail.status === 'failed' ||
      detail.interrupted ||
      detail.status === 'pending')
  const canCancel =
    detail.status !== 'completed' &&
    detail.status !== 'cancelled' &&
    (live?.status ?? detail.status) !== 'cancelled'
  return (
    <section className="panel" aria-label={`Run ${detail.id}`} data-testid="run-panel">
      <div className="run-panel-header">
        <h2>
          Run {detail.id}
          {detail.name ? ` · ${detail.name}` : ''} <StatusBadge run={status} />
        </h2>
        <div className="page-actions">
          {running ? (
            <button type="button" onClick={() => void act('pause')} disabled={busy} data-testid="pause-run">
              Pause
            </button>
          ) : null}
          {canResume ? (
            <button
              type="button"
              className="primary"
              onClick={() => void act('resume')}
              disabled={busy}
              data-testid="resume-run"
            >
              Resume
            </button>
          ) : null}
          {canCancel ? (
            <button type="button" onClick={() => void act('cancel')} disabled={busy} data-testid="cancel-run">
              Cancel run
            </button>
          ) : null}
          <button type="button" onClick={() => void exportManifest()} data-testid="export-manifest">
            Export manifest
          </button>
          <ExportResultsButton runId={detail.id} />
        </div>
      </div>
      {detail.interrupted ? (
        <p className="muted">
          The process running this run stopped (crash, power cut or kill). Resume it: completed instances are
          kept and not sent again.
        </p>
      ) : null}
      {!live && detail.status === 'running' && !detail.active && !detail.interrupted ? (
        <p className="muted">
          Running in another WardEval process (the command line, or another window); pausing or cancelling
          here asks that process.
        </p>
      ) : null}
      {detail.error && !running ? <p className="error-text">{detail.error}</p> : null}
      <ProgressBar
        label="All instances"
        done={counts.done + counts.failed}
        total={counts.total}
        detail={[
          counts.failed ? `${counts.failed} failed` : null,
          counts.cached ? `${counts.cached} from cache` : null,
          live && running
            ? `${live.rate.toFixed(live.rate >= 10 ? 0 : 1)}/s · ${eta(live.etaSeconds)}`
            : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      />
      <p className="muted" data-testid="run-requests">
        {requestsText(detail.requests)}
      </p>
      {live?.waitingFor ? (
        <p className="muted" role="status" data-testid="run-waiting">
          Waiting for the database: {live.waitingFor.replace(/^waiting: /, '')}. The run goes on when it is
          released.
        </p>
      ) : null}
      {finished ? (
        <RunResults runId={detail.id} groups={groups} />
      ) : (
        <div className="run-groups">
          {groups.map((g) => (
            <ProgressBar
              key={`${g.benchmarkId}|${g.modelKey}`}
              label={`${g.benchmarkId} × ${g.modelKey}`}
              done={g.done + g.failed}
              total={g.total}
              detail={[
                g.failed ? `${g.failed} failed` : null,
                g.mainMetric && g.mainMean !== null ? `${g.mainMetric} ${g.mainMean.toFixed(3)}` : null,
              ]
                .filter(Boolean)
                .join(' · ')}
            />
          ))}
        </div>
      )}
      {live && live.errors > 0 && live.lastError ? (
        <p className="muted" role="status">
          {live.errors} failed attempt{live.errors === 1 ? '' : 's'} so far (retried where possible). Last:{' '}
          {live.lastError}
        </p>
      ) : null}
      {detail.errors.length > 0 ? (
        <details>
          <summary>Why items failed</summary>
          <ul>
            {detail.errors.map((e) => (
              <li key={e.message}>
                {e.count}× {e.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {detail.failedRequests.length > 0 ? (
        <details>
          <summary>Failed requests (retried or given up)</summary>
          <table className="run-failed-requests">
            <caption className="sr-only">Failed requests by endpoint, model and kind</caption>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Model</th>
                <th scope="col">Kind</th>
                <th scope="col">Requests</th>
              </tr>
            </thead>
            <tbody>
              {detail.failedRequests.map((f) => (
                <tr key={`${f.endpoint}|${f.modelKey}|${f.kind}`}>
                  <td>{f.endpoint}</td>
                  <td>{f.modelKey}</td>
                  <td>{f.kind}</td>
                  <td>{f.count.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
      {detail.manifest ? (
        <details>
          <summary>Manifest</summary>
          <dl className="facts">
            <dt>WardEval</dt>
            <dd>
              {detail.manifest.app.version} (schema {detail.manifest.app.schemaVersion})
            </dd>
            <dt>Seed</dt>
            <dd>{detail.manifest.seed}</dd>
            {detail.manifest.models.map((m) => (
              <div key={m.key} className="facts-row">
                <dt>{m.key}</dt>
                <dd>
                  {m.baseUrl} · digest {m.digest ? m.digest.slice(0, 16) : 'unknown'}
                  {m.pool !== m.key ? ` · pooled with ${m.pool}` : ''}
                </dd>
              </div>
            ))}
            {detail.manifest.benchmarks.map((b) => (
              <div key={b.id} className="facts-row">
                <dt>{b.id}</dt>
                <dd>
                  version {b.version} · {b.sampled}/{b.instanceCount} instances · content{' '}
                  {b.contentHash.slice(0, 12)} · prompt {b.promptTemplateHash.slice(0, 12)} · temperature{' '}
                  {b.generation.temperature}, max {b.generation.maxTokens} tokens
                </dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
    </section>
  )
}

export function RunsScreen() {
  const go = useNav((s) => s.go)
  const {
    runs,
    loaded,
    error,
    notice,
    detail,
    progress,
    selectedId,
    benchmarks,
    load,
    loadOptions,
    onProgress,
    dismiss,
  } = useRuns()
  const [formOpen, setFormOpen] = useState(false)

  useEffect(() => {
    void load()
    void loadOptions()
    return api.on('runs:progress', onProgress)
  }, [load, loadOptions, onProgress])

  // While the selected run executes, refresh the rows shown every few seconds.
  const live = selectedId !== null ? progress[selectedId] : undefined
  const isRunning = live?.status === 'running'
  useEffect(() => {
    if (!isRunning) return
    const t = setInterval(() => {
      const s = useRuns.getState()
      useRuns.setState({ items: [], itemsEpoch: s.itemsEpoch + 1 })
      void s.ensureItems(0, 499)
    }, 3000)
    return () => clearInterval(t)
  }, [isRunning])

  // A run executed by another process (the CLI on the same database) sends no events here: poll it.
  const elsewhere = !live && detail?.status === 'running' && !detail.active && !detail.interrupted
  useEffect(() => {
    if (!elsewhere) return
    const t = setInterval(() => void useRuns.getState().refreshDetail(), 2000)
    return () => clearInterval(t)
  }, [elsewhere])

  const showForm = formOpen || (loaded && runs.length === 0 && benchmarks.length > 0)
  return (
    <>
      <PageHeader
        title="Runs"
        subtitle="Evaluate models on benchmarks: resumable, cached, with a reproducibility manifest."
        actions={
          <button
            type="button"
            className="primary"
            onClick={() => setFormOpen(true)}
            disabled={showForm}
            data-testid="new-run"
          >
            New run
          </button>
        }
      />
      <ErrorBanner message={error} onDismiss={dismiss} />
      {notice ? (
        <div className="notice" role="status">
          {notice}{' '}
          <button type="button" className="link" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
      {showForm ? (
        <NewRunForm onStarted={() => setFormOpen(false)} onCancel={() => setFormOpen(false)} />
      ) : null}
      {loaded && runs.length === 0 && !showForm ? (
        <EmptyState
          title="No runs yet"
          action={
            <>
              <button type="button" onClick={() => go('benchmarks')}>
                Load benchmarks
              </button>{' '}
              <button type="button" onClick={() => go('models')}>
                Connect models
              </button>
            </>
          }
        >
          <p>
            A run evaluates one or more models on one or more benchmarks. Load a benchmark and connect a model
            first.
          </p>
        </EmptyState>
      ) : null}
      {runs.length > 0 ? (
        <div className="runs-layout">
          <RunList />
          <div className="runs-main">
            {detail ? <RunPanel detail={detail} live={live} /> : <p className="muted">Loading…</p>}
            {detail ? <JudgeAgreement runId={detail.id} /> : null}
          </div>
        </div>
      ) : null}
      {/* The item browser spans the screen's width, below the run list and the run. */}
      {runs.length > 0 && detail ? <ItemBrowser /> : null}
    </>
  )
}
