import { formatBytes } from '../../../../shared/format'
import { useEffect, useRef, type FormEvent } from 'react'
import type { ImportPreview } from '../../../../shared/api/benchmarks'
import type { ApiIssue } from '../../../../shared/api/envelope'
import { ErrorBanner } from '../../components/ErrorBanner'
import { ProgressBar } from '../../components/ProgressBar'
import { useTaxonomy } from '../taxonomy/store'
import { BenchmarkSettingsFields } from './BenchmarkSettingsFields'
import { ColumnMappingFields } from './ColumnMapping'
import { PromptPreview, RawRows, StoredInstances } from './ImportPreviewPanels'
import { useBenchmarks, useImportWizard, type WizardStep } from './store'

const STEPS: { id: WizardStep[]; label: string }[] = [
  { id: ['source'], label: 'Choose file' },
  { id: ['review'], label: 'Map columns & preview' },
  { id: ['importing', 'done', 'failed'], label: 'Import' },
]

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10

/** Problems by file, line and field, as main reported them. */
export function IssueList(props: { issues: ApiIssue[]; title: string }) {
  if (props.issues.length === 0) return null
  return (
    <div className="issue-list" role="region" aria-label={props.title}>
      <h4>{props.title}</h4>
      <table>
        <thead>
          <tr>
            <th scope="col">Where</th>
            <th scope="col">Field</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {props.issues.map((i, k) => {
            const [where, line, field] = i.path
            const located = typeof line === 'number'
            return (
              <tr key={k} data-testid="import-issue">
                <td>{located ? `${String(where)} line ${line}` : i.path.slice(0, -1).join(' ') || '—'}</td>
                <td>
                  <code>{located ? String(field ?? '—') : String(i.path[i.path.length - 1] ?? '—')}</code>
                </td>
                <td>{i.message}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function SourceStep() {
  const w = useImportWizard()
  const formats = useBenchmarks((s) => s.formats)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void w.runPreview()
  }
  const chosen = formats.find((f) => f.format === w.format)
  return (
    <form onSubmit={submit} className="wizard-form" aria-label="Choose the file to import">
      <div className="field">
        <label htmlFor="import-path">File or pack folder</label>
        <div className="inline-form">
          <input
            id="import-path"
            className="grow"
            value={w.path}
            onChange={(e) => w.setPath(e.target.value)}
            placeholder="/path/to/extract.csv"
            autoComplete="off"
            spellCheck={false}
            data-testid="import-path"
          />
          {w.pickAvailable ? (
            <>
              <button type="button" onClick={() => void w.pick(false)}>
                Browse file…
              </button>
              <button type="button" onClick={() => void w.pick(true)}>
                Browse folder…
              </button>
            </>
          ) : null}
        </div>
        <p className="hint">
          {w.pickAvailable === false ? 'Type or paste the full path of a file on this computer. ' : ''}
          The file is read on this machine; nothing leaves it.
        </p>
      </div>
      <div className="field">
        <label htmlFor="import-format">Format</label>
        <select
          id="import-format"
          value={w.format}
          onChange={(e) => w.setFormat(e.target.value)}
          data-testid="import-format"
        >
          <optgroup label="WardEval">
            {formats
              .filter((f) => f.kind === 'pack')
              .map((f) => (
                <option key={f.format} value={f.format}>
                  Benchmark pack (folder)
                </option>
              ))}
          </optgroup>
          <optgroup label="Your own table (map the columns)">
            {formats
              .filter((f) => f.kind === 'tabular')
              .map((f) => (
                <option key={f.format} value={f.format}>
                  {f.format.toUpperCase()}
                </option>
              ))}
          </optgroup>
          {formats.some((f) => f.kind === 'published') ? (
            <optgroup label="MedHELM dataset as published">
              {formats
                .filter((f) => f.kind === 'published')
                .map((f) => (
                  <option key={f.format} value={f.format}>
                    {f.format}
                  </option>
                ))}
            </optgroup>
          ) : null}
        </select>
        {chosen ? (
          <p className="hint">
            {chosen.description} Expects {chosen.expects}.
          </p>
        ) : null}
      </div>
      <div className="wizard-actions">
        <button
          type="submit"
          className="primary"
          disabled={!w.path.trim() || w.previewing}
          data-testid="import-preview"
        >
          {w.previewing ? 'Reading…' : 'Preview'}
        </button>
      </div>
    </form>
  )
}

/** Refreshes the preview a moment after the user stops changing the mapping or the settings. */
function useLivePreview() {
  const mapping = useImportWizard((s) => s.mapping)
  const settings = useImportWizard((s) => s.settings)
  const runPreview = useImportWizard((s) => s.runPreview)
  const first = useRef(true)
  const key = JSON.stringify([mapping, settings])
  const last = useRef(key)
  useEffect(() => {
    if (first.current || key === last.current) {
      first.current = false
      return
    }
    const t = setTimeout(() => {
      last.current = key
      void runPreview()
    }, 400)
    return () => clearTimeout(t)
  }, [key, runPreview])
}

function previewSummary(p: ImportPreview): string {
  const n = p.kind === 'tabular' ? p.rows.length : p.instances.length
  return p.issues.length
    ? `${p.issues.length === 1 ? 'One problem' : `${p.issues.length} problems`} in the first ${n} rows`
    : `No problem in the first ${n} rows; the import checks every row.`
}

function ReviewStep() {
  const w = useImportWizard()
  const taxonomy = useTaxonomy((s) => s.view)
  const loadTaxonomy = useTaxonomy((s) => s.load)
  useEffect(() => {
    if (!taxonomy) void loadTaxonomy()
  }, [taxonomy, loadTaxonomy])
  useLivePreview()
  const p = w.preview!
  const tabular = p.kind === 'tabular'
  const blocking = p.issues.some(
    (i) => i.field === 'map' || i.field === 'settings' || i.field === 'manifest' || i.line === 1,
  )
  return (
    <div className="wizard-form">
      <p>
        <strong>{p.fileName}</strong> <span className="muted">({formatBytes(p.sizeBytes)})</span>
        {p.manifest ? (
          <>
            {' '}
            → benchmark <code>{String(p.manifest.id)}</code> “{String(p.manifest.name)}”, version{' '}
            {String(p.manifest.version)}, {String(p.manifest.taskType).replace('_', ' ')}
          </>
        ) : null}
      </p>
      {tabular ? <ColumnMappingFields columns={p.columns} /> : null}
      {tabular ? (
        <BenchmarkSettingsFields
          fileName={p.fileName}
          manifestId={p.manifest ? String(p.manifest.id) : null}
        />
      ) : null}
      <p className={p.issues.length ? 'error-text' : 'hint'} role="status" aria-live="polite">
        {w.previewing ? 'Updating the preview…' : previewSummary(p)}
      </p>
      <IssueList
        title="Problems, by line"
        issues={p.issues.map((i) => ({ path: [p.fileName, i.line ?? '—', i.field], message: i.message }))}
      />
      <PromptPreview preview={p} />
      <RawRows preview={p} />
      <StoredInstances preview={p} />
      <div className="wizard-actions sticky-actions">
        <button type="button" onClick={w.back}>
          Back
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => void w.startImport()}
          disabled={blocking || w.previewing}
          data-testid="import-start"
        >
          Import
        </button>
      </div>
    </div>
  )
}

function ImportStep() {
  const w = useImportWizard()
  const open = useBenchmarks((s) => s.open)
  const resultRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (w.step === 'done' || w.step === 'failed') resultRef.current?.focus()
  }, [w.step])
  const j = w.job
  return (
    <div className="wizard-form">
      {w.step === 'importing' ? (
        <ProgressBar
          label={j?.label ?? 'Importing…'}
          // Bytes read are shown in MB, with the instances stored so far.
          done={j?.unit === 'bytes' ? mb(j.done) : (j?.done ?? 0)}
          total={j?.unit === 'bytes' && j.total !== null ? mb(j.total) : (j?.total ?? null)}
          detail={j?.unit === 'bytes' ? `MB read · ${j.message ?? ''}` : (j?.message ?? undefined)}
        />
      ) : null}
      <div ref={resultRef} tabIndex={-1} aria-live="polite">
        {w.step === 'done' && w.result ? (
          <div className="import-result" data-testid="import-result">
            <h4>{w.result.alreadyImported ? 'Already imported — nothing was written' : 'Imported'}</h4>
            <dl>
              <dt>Benchmark</dt>
              <dd>
                <code>{w.result.benchmarkId}</code> {w.result.name}, version {w.result.version}
              </dd>
              <dt>Instances</dt>
              <dd data-testid="import-count">{w.result.instanceCount.toLocaleString()}</dd>
              <dt>Content hash</dt>
              <dd>
                <code className="hash">sha256:{w.result.contentHash}</code>
              </dd>
            </dl>
            <div className="wizard-actions">
              <button
                type="button"
                className="primary"
                onClick={() => {
                  open(w.result!.benchmarkId)
                  w.hide()
                }}
              >
                Browse its instances
              </button>
              <button type="button" onClick={w.show}>
                Import another
              </button>
            </div>
          </div>
        ) : null}
        {w.step === 'failed' ? (
          <div data-testid="import-failed">
            <h4 className="error-text">Nothing was imported: the database is as it was.</h4>
            {w.issues.length ? (
              <IssueList title="Why: the problems, by line" issues={w.issues} />
            ) : (
              <p data-testid="import-error">{w.error}</p>
            )}
            <div className="wizard-actions">
              <button type="button" onClick={w.back}>
                Back to the mapping
              </button>
            </div>
          </div>
        ) : null}
      </div>
    </div>
  )
}

export function ImportWizard() {
  const w = useImportWizard()
  const headingRef = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    headingRef.current?.focus()
  }, [])
  const current = STEPS.findIndex((s) => s.id.includes(w.step))
  return (
    <section
      className="panel wizard"
      aria-labelledby="wizard-title"
      data-testid="import-wizard"
      onKeyDown={(e) => e.key === 'Escape' && w.step !== 'importing' && w.hide()}
    >
      <div className="coverage-head">
        <h2 id="wizard-title" ref={headingRef} tabIndex={-1}>
          Import a benchmark
        </h2>
        <button
          type="button"
          onClick={w.hide}
          disabled={w.step === 'importing'}
          aria-label="Close the import wizard"
        >
          Close
        </button>
      </div>
      <ol className="wizard-steps">
        {STEPS.map((s, i) => (
          <li
            key={s.label}
            aria-current={i === current ? 'step' : undefined}
            className={i < current ? 'done' : i === current ? 'current' : ''}
          >
            <span className="step-number">{i + 1}</span> {s.label}
          </li>
        ))}
      </ol>
      {/* A failed import says why once, in its own step; these are for the file and preview steps. */}
      <ErrorBanner message={w.step === 'failed' ? null : w.error} />
      {w.step === 'failed' ? null : <IssueList title="Problems, by line" issues={w.issues} />}
      {w.step === 'source' ? (
        <SourceStep />
      ) : w.step === 'review' && w.preview ? (
        <ReviewStep />
      ) : (
        <ImportStep />
      )}
    </section>
  )
}
