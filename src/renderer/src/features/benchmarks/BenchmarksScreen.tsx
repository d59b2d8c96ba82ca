import { displayText } from '../../../../shared/display-text'
import { useEffect, useState } from 'react'
import type { Out } from '../../../../shared/api/contract'
import { api, errorMessage } from '../../lib/api'
import type { BenchmarkDetail } from '../../../../shared/api/benchmarks'
import { EmptyState } from '../../components/EmptyState'
import { ErrorBanner } from '../../components/ErrorBanner'
import { PageHeader } from '../../components/PageHeader'
import { ImportWizard } from './ImportWizard'
import { InstanceBrowser } from './InstanceBrowser'
import { useBenchmarks, useImportWizard } from './store'
import './benchmarks.css'

type Usage = Out<'benchmarks:usage'>

/** Before deleting: what uses the benchmark. Runs and review sets keep it, as evidence. */
function DeleteConfirm(props: { id: string; versions: number; onDone: () => void }) {
  const remove = useBenchmarks((s) => s.remove)
  const [usage, setUsage] = useState<Usage | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    api.invoke('benchmarks:usage', { id: props.id }).then(setUsage, (e: unknown) => setError(errorMessage(e)))
  }, [props.id])
  const used = usage && (usage.runs.length > 0 || usage.reviewSets.length > 0)
  return (
    <div className="delete-confirm" role="alert" data-testid="delete-confirm">
      {error ? <p className="error-text">{error}</p> : null}
      {!usage ? (
        <p>Checking what uses {props.id}…</p>
      ) : used ? (
        <>
          <p>
            <strong>{props.id} cannot be deleted:</strong> results were measured on it, and they keep the
            benchmark they were measured on.
          </p>
          <ul className="usage-list" data-testid="benchmark-usage">
            {usage.runs.map((r) => (
              <li key={`run-${r.id}`}>
                Run #{r.id}
                {r.name ? ` “${r.name}”` : ''} — {r.status}, {r.createdAt.slice(0, 10)}, models:{' '}
                {r.models.join(', ') || '—'}
              </li>
            ))}
            {usage.reviewSets.map((s) => (
              <li key={`set-${s.id}`}>
                Review set #{s.id} — {s.size} items from run #{s.runId}, {s.createdAt.slice(0, 10)}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>
          Delete {props.id} and its {props.versions === 1 ? 'version' : `${props.versions} versions`}? No run
          or review set uses it.
        </p>
      )}
      <div className="inline-form">
        {usage && !used ? (
          <button type="button" className="danger" onClick={() => void remove(props.id)}>
            Delete
          </button>
        ) : null}
        <button type="button" onClick={props.onDone}>
          {used ? 'Close' : 'Keep'}
        </button>
      </div>
    </div>
  )
}

function BenchmarkDetailPanel(props: { detail: BenchmarkDetail }) {
  const d = props.detail
  const open = useBenchmarks((s) => s.open)
  const [confirming, setConfirming] = useState(false)
  const [version, setVersion] = useState(d.latest.version)
  const source = d.manifest.source as { name?: string; license?: string; url?: string } | undefined
  return (
    <section className="panel" aria-labelledby="benchmark-title" data-testid="benchmark-detail">
      <div className="coverage-head">
        <h2 id="benchmark-title">
          {d.name} <code>{d.id}</code>
        </h2>
        <div className="inline-form">
          {confirming ? null : (
            <button type="button" onClick={() => setConfirming(true)} data-testid="delete-benchmark">
              Delete…
            </button>
          )}
          <button type="button" onClick={() => open(null)} aria-label="Close the benchmark">
            Close
          </button>
        </div>
      </div>
      {confirming ? (
        <DeleteConfirm id={d.id} versions={d.versionCount} onDone={() => setConfirming(false)} />
      ) : null}
      <p>{d.description}</p>
      <dl className="facts">
        <dt>Taxonomy</dt>
        <dd>{d.subcategoryName ?? '—'}</dd>
        <dt>Task type</dt>
        <dd>{d.taskType.replace('_', ' ')}</dd>
        <dt>Access</dt>
        <dd>{d.access}</dd>
        <dt>Main metric</dt>
        <dd>
          {(d.manifest.metrics as { name: string; main?: boolean }[] | undefined)?.find((m) => m.main)
            ?.name ?? '—'}
        </dd>
        {source?.name ? (
          <>
            <dt>Source</dt>
            <dd>
              {source.name}
              {source.license ? ` · license ${source.license}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <label htmlFor="version-select">Version</label>{' '}
      <select id="version-select" value={version} onChange={(e) => setVersion(e.target.value)}>
        {d.versions.map((v) => (
          <option key={v.id} value={v.version}>
            {v.version} — {v.instanceCount.toLocaleString()} instances, {v.sourceFormat} “{v.sourceName}”,{' '}
            {v.importedAt.slice(0, 10)}
          </option>
        ))}
      </select>{' '}
      <code className="hash" title="sha256 of the normalized instances">
        sha256:{d.versions.find((v) => v.version === version)?.contentHash}
      </code>
      <InstanceBrowser benchmarkId={d.id} version={version} />
    </section>
  )
}

export function BenchmarksScreen() {
  const { list, loading, error, selectedId, detail, load, open, restoreSamples, dismissError } =
    useBenchmarks()
  const wizard = useImportWizard()
  const [restored, setRestored] = useState<string | null>(null)
  useEffect(() => {
    void load()
  }, [load])
  return (
    <>
      <PageHeader
        title="Benchmarks"
        subtitle="MedHELM's public benchmarks and your hospital's private ones."
        actions={
          <>
            <button
              type="button"
              onClick={() =>
                void restoreSamples().then((r) =>
                  setRestored(r.length ? `Restored ${r.join(', ')}` : 'Every sample is already loaded.'),
                )
              }
            >
              Restore samples
            </button>
            <button
              type="button"
              className="primary"
              onClick={wizard.show}
              disabled={wizard.open}
              data-testid="open-import"
            >
              Import benchmark…
            </button>
          </>
        }
      />
      <ErrorBanner message={error} onDismiss={dismissError} />
      {restored ? (
        <p role="status" className="muted">
          {restored}
        </p>
      ) : null}
      {wizard.open ? <ImportWizard /> : null}
      {list === null ? (
        <p className="muted" role="status">
          {loading ? 'Loading benchmarks…' : ''}
        </p>
      ) : list.length === 0 ? (
        <EmptyState
          title="No benchmarks loaded"
          action={
            <button type="button" className="primary" onClick={wizard.show}>
              Import a benchmark
            </button>
          }
        >
          <p>
            Import a WardEval pack, a MedHELM dataset as published, or your own CSV, TSV or JSONL extract (map
            its columns). From a terminal: <code>npm run -s cli -- import &lt;format&gt; &lt;path&gt;</code>.
            Or restore the bundled samples.
          </p>
        </EmptyState>
      ) : (
        <section className="panel" aria-label="Loaded benchmarks">
          <table data-testid="benchmark-list">
            <thead>
              <tr>
                <th scope="col">Benchmark</th>
                <th scope="col">Subcategory</th>
                <th scope="col">Task type</th>
                <th scope="col">Access</th>
                <th scope="col">Version</th>
                <th scope="col" className="num">
                  Instances
                </th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            <tbody>
              {list.map((b) => (
                <tr
                  key={b.id}
                  className={b.id === selectedId ? 'selected' : undefined}
                  data-testid={`benchmark-row-${b.id}`}
                >
                  <td>
                    <button
                      type="button"
                      className="link"
                      onClick={() => open(b.id)}
                      aria-pressed={b.id === selectedId}
                    >
                      {displayText(b.name)}
                    </button>{' '}
                    {b.sample ? <span className="badge">sample</span> : null}
                    <div className="muted small">{b.id}</div>
                  </td>
                  <td>{b.subcategoryName ?? '—'}</td>
                  <td>{b.taskType.replace('_', ' ')}</td>
                  <td>
                    <span
                      className={
                        b.access === 'public' ? 'badge ok' : b.access === 'private' ? 'badge danger' : 'badge'
                      }
                    >
                      {b.access}
                    </span>
                  </td>
                  <td>{b.latest.version}</td>
                  <td className="num">{b.latest.instanceCount.toLocaleString()}</td>
                  <td>
                    <code className="hash" title={`sha256:${b.latest.contentHash}`}>
                      {b.latest.contentHash.slice(0, 12)}
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {selectedId && detail ? (
        <BenchmarkDetailPanel key={`${detail.id}@${detail.latest.version}`} detail={detail} />
      ) : null}
    </>
  )
}
