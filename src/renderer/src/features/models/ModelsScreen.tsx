import { useEffect } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { ErrorBanner } from '../../components/ErrorBanner'
import { PageHeader } from '../../components/PageHeader'
import { ProgressBar } from '../../components/ProgressBar'
import { AddEndpointForm } from './AddEndpointForm'
import { EndpointsTable } from './EndpointsTable'
import { ModelsTable } from './ModelsTable'
import { useModels } from './store'
import './models.css'

export function ModelsScreen() {
  const {
    endpoints,
    listing,
    refreshing,
    error,
    notice,
    load,
    refresh,
    add,
    approve,
    reapprove,
    remove,
    revoke,
    dismiss,
  } = useModels()

  useEffect(() => {
    void load()
  }, [load])

  const defaultEndpoint = endpoints?.find((e) => e.isDefault)
  const models = listing?.models ?? []
  const counted = endpoints?.map((e) => ({
    ...e,
    modelCount: models.filter((m) => m.endpoint === e.name).length,
  }))

  return (
    <>
      <PageHeader
        title="Models"
        subtitle="Local Ollama and the model servers your hospital has approved. Nothing else is reachable."
        actions={
          <button
            type="button"
            onClick={() => void refresh()}
            disabled={refreshing}
            data-testid="models-refresh"
          >
            {refreshing ? 'Checking…' : 'Check again'}
          </button>
        }
      />
      <ErrorBanner message={error} onDismiss={dismiss} />
      {notice ? (
        <div className="we-notice" role="status">
          <span>{notice}</span>
          <button type="button" className="link" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
      {refreshing && endpoints === null ? (
        <ProgressBar label="Asking the model servers" done={0} total={null} />
      ) : null}

      {listing && models.length === 0 && !refreshing ? (
        <EmptyState title="No models yet" testId="models-empty">
          <p>
            WardEval looks for Ollama on this machine at{' '}
            <code>{defaultEndpoint?.baseUrl ?? 'http://127.0.0.1:11434'}</code>
            {defaultEndpoint && !defaultEndpoint.status.reachable ? ' and it is not answering' : ''}. To
            connect it:
          </p>
          <ol>
            <li>
              Install Ollama from your software catalogue and start it: <code>ollama serve</code>
            </li>
            <li>
              Pull a model: <code>ollama pull llama3.1:8b</code>
            </li>
            <li>
              If Ollama listens elsewhere, start WardEval with <code>OLLAMA_HOST</code> set (e.g.{' '}
              <code>OLLAMA_HOST=127.0.0.1:11500</code>).
            </li>
            <li>Press “Check again”.</li>
          </ol>
          <p>
            An inference server of the hospital (vLLM, TGI, llama.cpp, LM Studio) can be added below; a server
            off this machine must be approved first.
          </p>
        </EmptyState>
      ) : null}

      <section className="panel" aria-labelledby="endpoints-h">
        <div className="we-section-title">
          <h2 id="endpoints-h">Endpoints</h2>
          <span className="muted">Each check is recorded in the audit log.</span>
        </div>
        {counted ? (
          <EndpointsTable
            endpoints={counted}
            onApprove={approve}
            onReapprove={(c) => void reapprove(c)}
            onRemove={(n) => void remove(n)}
            onRevoke={(e) => void revoke(e)}
          />
        ) : (
          <p className="muted">Checking…</p>
        )}
      </section>

      {models.length > 0 ? (
        <section className="panel" aria-labelledby="models-h">
          <div className="we-section-title">
            <h2 id="models-h">Models ({models.length})</h2>
            <span className="muted">The digest pins the exact weights a run used.</span>
          </div>
          <ListingFailures failures={listing?.failures ?? []} endpoints={endpoints ?? []} />
          <ModelsTable models={models} />
        </section>
      ) : null}

      <section className="panel" aria-labelledby="add-h">
        <div className="we-section-title">
          <h2 id="add-h">Add an endpoint</h2>
        </div>
        <AddEndpointForm onAdd={add} />
      </section>
    </>
  )
}

/**
 * Endpoints whose models could not be listed. One that the Endpoints table already shows as not
 * reached is only named here (its reason is there); any other failure is said in full.
 */
function ListingFailures(props: {
  failures: { endpoint: string; error: string }[]
  endpoints: { name: string; status: { reachable: boolean } }[]
}) {
  const down = new Set(props.endpoints.filter((e) => !e.status.reachable).map((e) => e.name))
  const named = props.failures.filter((f) => down.has(f.endpoint)).map((f) => f.endpoint)
  const other = props.failures.filter((f) => !down.has(f.endpoint))
  return (
    <>
      {named.length > 0 ? (
        <p className="muted" data-testid="models-not-listed">
          Not listed: {named.join(', ')} (not reached; the reason is in Endpoints above).
        </p>
      ) : null}
      {other.length > 0 ? (
        <ul className="status-error">
          {other.map((f) => (
            <li key={f.endpoint}>
              {f.endpoint}: {f.error}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  )
}
