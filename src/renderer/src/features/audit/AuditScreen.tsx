import { useCallback, useEffect, useMemo, useState } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { ErrorBanner } from '../../components/ErrorBanner'
import { PageHeader } from '../../components/PageHeader'
import { ProgressBar } from '../../components/ProgressBar'
import { AuditLogTable } from './AuditLogTable'
import { DestinationsPanel } from './DestinationsPanel'
import { PURPOSE_LABELS } from './format'
import { PolicyPanel } from './PolicyPanel'
import { ProofPanel } from './ProofPanel'
import { RequestsLog } from './RequestsLog'
import { useRequests } from './requests-store'
import { useAudit } from './store'
import { useAuditAppended } from './use-audit-appended'
import { VerifyResultView } from './VerifyResultView'
import './audit.css'

export function AuditScreen() {
  const s = useAudit()
  const { load } = s

  useEffect(() => {
    void load()
  }, [load])

  const [view, setView] = useState<'requests' | 'rows'>('requests')
  const refresh = useCallback(async () => {
    await Promise.all([load(), useRequests.getState().load()])
  }, [load])
  // New rows (requests, refusals, approvals) refresh the screen, at most every 3 s.
  useAuditAppended(refresh)

  const hosts = useMemo(
    () => (s.summary?.destinations ?? []).map((d) => d.host).filter((h, i, a) => a.indexOf(h) === i),
    [s.summary],
  )

  return (
    <>
      <PageHeader
        title="Privacy & Audit"
        subtitle="Every byte that leaves this machine, where it went, and proof the log is intact."
        actions={
          <>
            <button
              type="button"
              className="primary"
              onClick={() => void s.runVerify()}
              disabled={s.verifying}
              data-testid="verify-button"
            >
              {s.verifying ? 'Verifying…' : 'Verify the log'}
            </button>
            <button
              type="button"
              onClick={() => void s.exportCsv()}
              disabled={s.exporting}
              data-testid="export-button"
            >
              {s.exporting ? 'Exporting…' : 'Export CSV'}
            </button>
          </>
        }
      />
      <ErrorBanner message={s.error} onDismiss={s.dismiss} />
      {s.verifying ? (
        <ProgressBar label="Checking every row of the hash chain and every anchor" done={0} total={null} />
      ) : null}
      <VerifyResultView verify={s.verify} />
      {s.exported ? (
        <div className="we-verify" role="status" data-testid="export-result">
          Wrote {s.exported.rows.toLocaleString()} rows (with their hashes) to{' '}
          <span className="we-mono">{s.exported.file}</span>
        </div>
      ) : null}

      {s.summary && s.summary.totalRows === 0 ? (
        <EmptyState title="Nothing has left this machine" testId="audit-empty">
          <p>
            Each request to a model server, each refused destination and each change of the egress policy will
            be logged here, hash-chained so that any later change to the log is detected. Connect a model on
            the Models screen to begin.
          </p>
        </EmptyState>
      ) : null}

      {s.summary && s.summary.totalRows > 0 ? <DestinationsPanel summary={s.summary} /> : null}

      {s.summary && s.summary.totalRows > 0 ? (
        <section className="panel" aria-labelledby="log-h">
          <div className="we-section-title">
            <h2 id="log-h">The log</h2>
            <div className="we-view-switch" role="group" aria-label="Show">
              <button
                type="button"
                className="we-chip"
                aria-pressed={view === 'requests'}
                onClick={() => setView('requests')}
                data-testid="view-requests"
              >
                One row per request
              </button>
              <button
                type="button"
                className="we-chip"
                aria-pressed={view === 'rows'}
                onClick={() => setView('rows')}
                data-testid="view-rows"
              >
                Every audit row (hash chain)
              </button>
            </div>
          </div>
          {view === 'requests' ? <RequestsLog /> : <RawLog hosts={hosts} />}
        </section>
      ) : null}

      <ProofPanel onChanged={() => void load()} />

      {s.policy ? (
        <PolicyPanel policy={s.policy} onApprove={s.approve} onRevoke={(id) => void s.revoke(id)} />
      ) : null}
    </>
  )
}

/** Every row of the hash chain as written (intent and outcome rows apart), with select filters. */
function RawLog({ hosts }: { hosts: string[] }) {
  const s = useAudit()
  const f = s.filters
  return (
    <>
      <p className="muted small" data-testid="log-count">
        {s.page
          ? `${s.page.entries.length.toLocaleString()} of ${s.page.total.toLocaleString()} rows${s.page.truncated ? ' (newest shown; narrow the filters or export for all)' : ''}`
          : ''}
      </p>
      <div className="we-filters" role="group" aria-label="Filters">
        <label>
          Kind
          <select
            value={f.kind}
            onChange={(e) => s.setFilters({ kind: e.target.value as typeof f.kind })}
            data-testid="filter-kind"
          >
            <option value="">All</option>
            <option value="request">Requests</option>
            <option value="refusal">Refusals</option>
            <option value="approval">Approvals</option>
            <option value="policy">Policy changes</option>
          </select>
        </label>
        <label>
          Purpose
          <select value={f.purposeKind} onChange={(e) => s.setFilters({ purposeKind: e.target.value })}>
            <option value="">All</option>
            {Object.entries(PURPOSE_LABELS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label>
          Destination
          <select value={f.host} onChange={(e) => s.setFilters({ host: e.target.value })}>
            <option value="">All</option>
            {hosts.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select value={f.outcome} onChange={(e) => s.setFilters({ outcome: e.target.value })}>
            <option value="">All</option>
            {[
              'intent',
              'ok',
              'http_error',
              'network_error',
              'timeout',
              'aborted',
              'refused',
              'approved',
              'revoked',
              'endpoint_added',
              'endpoint_removed',
              'endpoint_changed',
            ].map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label>
          Period
          <select value={f.since} onChange={(e) => s.setFilters({ since: e.target.value })}>
            <option value="">All time</option>
            <option value="1h">Last hour</option>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
            <option value="30d">Last 30 days</option>
          </select>
        </label>
        <button type="button" className="link" onClick={s.clearFilters}>
          Clear filters
        </button>
      </div>
      {s.page ? <AuditLogTable entries={s.page.entries} /> : <p className="muted">Loading…</p>}
    </>
  )
}
