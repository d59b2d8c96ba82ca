import { useStatus } from './stores/status'

export function StatusBar() {
  const { app, ollama, checking, error, checkOllama } = useStatus()
  const state = ollama === null ? 'unknown' : ollama.reachable ? 'up' : 'down'
  const text =
    ollama === null
      ? 'Checking Ollama…'
      : ollama.reachable
        ? `Ollama ${ollama.version ?? ''} answering at ${ollama.url}`
        : `Ollama not answering at ${ollama.url} — start it with “ollama serve”`
  return (
    <footer className="statusbar" aria-label="Status">
      <span className={`dot dot-${state}`} aria-hidden="true" />
      <span data-testid="ollama-status" data-state={state} aria-live="polite">
        {text}
      </span>
      <button type="button" className="link" onClick={() => void checkOllama()} disabled={checking}>
        {checking ? 'Checking…' : 'Check again'}
      </button>
      <span className="spacer" />
      {error ? (
        <span className="status-error" role="alert">
          {error}
        </span>
      ) : null}
      {app ? (
        <span className="muted" title={app.dbPath}>
          {app.name} {app.version} · schema v{app.schemaVersion}
        </span>
      ) : null}
    </footer>
  )
}
