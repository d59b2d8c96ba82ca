import { formatBytes } from '../../../../shared/format'
import { useEffect, useRef, type FormEvent } from 'react'
import { TASK_TYPES } from '../../../../shared/benchmarks/pack'
import type { ApiIssue } from '../../../../shared/api/envelope'
import { ErrorBanner } from '../../components/ErrorBanner'
import { ProgressBar } from '../../components/ProgressBar'
import { useTaxonomy } from '../taxonomy/store'
import { useBenchmarks, useImportWizard, type MapField, type WizardStep } from './store'

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

const MAP_FIELDS: { field: MapField; label: string; help: string; required?: boolean }[] = [
  {
    field: 'input',
    label: 'Input',
    help: 'The text the model reads. Join columns with “+”.',
    required: true,
  },
  {
    field: 'reference',
    label: 'Reference answer',
    help: 'The gold answer. Several columns: separate with “|”.',
    required: true,
  },
  { field: 'id', label: 'Instance id', help: 'Unique per row. Empty: the row number.' },
  {
    field: 'choices',
    label: 'Choices',
    help: 'Option columns separated by “|”, or one column holding a JSON array.',
  },
  { field: 'split', label: 'Split', help: 'Empty: every row is “test”.' },
  {
    field: 'metadata',
    label: 'Metadata',
    help: '“*” every other column (default), “-” none, or columns separated by “|”.',
  },
]

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

function ReviewStep() {
  const w = useImportWizard()
  const catalog = useBenchmarks((s) => s.catalog)
  const taxonomy = useTaxonomy((s) => s.view)
  const loadTaxonomy = useTaxonomy((s) => s.load)
  useEffect(() => {
    if (!taxonomy) void loadTaxonomy()
  }, [taxonomy, loadTaxonomy])
  const p = w.preview!
  const tabular = p.kind === 'tabular'
  const blocking = p.issues.some((i) => i.field === 'map' || i.field === 'settings' || i.line === 1)
  return (
    <div className="wizard-form">
      <p>
        <strong>{p.fileName}</strong> <span className="muted">({formatBytes(p.sizeBytes)})</span>
        {p.manifest ? (
          <>
            {' '}
            → benchmark <code>{String(p.manifest.id)}</code> “{String(p.manifest.name)}”, version{' '}
            {String(p.manifest.version)}, {String(p.manifest.taskType)}
          </>
        ) : null}
      </p>
      {tabular ? (
        <fieldset className="mapping">
          <legend>Map the columns</legend>
          <p className="hint">
            Detected columns:{' '}
            {p.columns
              .map((c) => <code key={c}>{c}</code>)
              .reduce<React.ReactNode[]>((a, c, i) => (i ? [...a, ', ', c] : [c]), [])}
          </p>
          <datalist id="import-columns">
            {p.columns.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <div className="mapping-grid">
            {MAP_FIELDS.map((f) => (
              <div className="field" key={f.field}>
                <label htmlFor={`map-${f.field}`}>
                  {f.label}
                  {f.required ? ' *' : ''}
                </label>
                <input
                  id={`map-${f.field}`}
                  list="import-columns"
                  value={w.map[f.field] ?? ''}
                  onChange={(e) => w.setMap(f.field, e.target.value)}
                  aria-describedby={`map-${f.field}-help`}
                  data-testid={`map-${f.field}`}
                  spellCheck={false}
                />
                <span className="hint" id={`map-${f.field}-help`}>
                  {f.help}
                </span>
              </div>
            ))}
          </div>
        </fieldset>
      ) : null}
      {tabular ? (
        <fieldset className="mapping">
          <legend>Describe the benchmark</legend>
          <div className="mapping-grid">
            <div className="field">
              <label htmlFor="set-catalog">MedHELM benchmark (optional)</label>
              <select
                id="set-catalog"
                value={w.settings.catalog}
                onChange={(e) => w.setSetting('catalog', e.target.value)}
              >
                <option value="">— a benchmark of your own —</option>
                {catalog.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.id})
                  </option>
                ))}
              </select>
              <span className="hint">
                Takes placement, task type, metric and prompt from MedHELM’s catalog.
              </span>
            </div>
            <div className="field">
              <label htmlFor="set-subcategory">Taxonomy subcategory{w.settings.catalog ? '' : ' *'}</label>
              <select
                id="set-subcategory"
                value={w.settings.subcategory}
                onChange={(e) => w.setSetting('subcategory', e.target.value)}
                data-testid="set-subcategory"
              >
                <option value="">{w.settings.catalog ? '— from the catalog —' : '— choose —'}</option>
                {taxonomy?.categories.map((c) => (
                  <optgroup key={c.id} label={c.name}>
                    {c.subcategories.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="set-name">Name</label>
              <input
                id="set-name"
                value={w.settings.name}
                onChange={(e) => w.setSetting('name', e.target.value)}
                placeholder={p.fileName}
                data-testid="set-name"
              />
            </div>
            <div className="field">
              <label htmlFor="set-id">Benchmark id</label>
              <input
                id="set-id"
                value={w.settings.benchmarkId}
                onChange={(e) => w.setSetting('benchmarkId', e.target.value)}
                placeholder={String(p.manifest?.id ?? 'from the file name')}
                spellCheck={false}
                data-testid="set-id"
              />
            </div>
            <div className="field">
              <label htmlFor="set-task-type">Task type</label>
              <select
                id="set-task-type"
                value={w.settings.taskType}
                onChange={(e) => w.setSetting('taskType', e.target.value)}
              >
                <option value="">— automatic —</option>
                {TASK_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t.replace('_', ' ')}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="set-access">Access</label>
              <select
                id="set-access"
                value={w.settings.access}
                onChange={(e) => w.setSetting('access', e.target.value)}
              >
                <option value="private">private</option>
                <option value="gated">gated</option>
                <option value="public">public</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="set-version">Version</label>
              <input
                id="set-version"
                value={w.settings.version}
                onChange={(e) => w.setSetting('version', e.target.value)}
                placeholder="1"
              />
            </div>
          </div>
        </fieldset>
      ) : null}
      <div className="wizard-actions">
        <button type="button" onClick={w.back}>
          Back
        </button>
        <button
          type="button"
          onClick={() => void w.runPreview()}
          disabled={w.previewing}
          data-testid="import-refresh"
        >
          {w.previewing ? 'Reading…' : 'Update preview'}
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
      <IssueList
        title={`Problems in the first ${p.kind === 'tabular' ? p.rows.length : p.instances.length} rows`}
        issues={p.issues.map((i) => ({ path: [p.fileName, i.line ?? '—', i.field], message: i.message }))}
      />
      {tabular && p.rows.length ? (
        <div className="preview-table" role="region" aria-label="First rows of the file" tabIndex={0}>
          <h4>First rows as read</h4>
          <table data-testid="preview-rows">
            <thead>
              <tr>
                {p.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.rows.map((r, i) => (
                <tr key={i}>
                  {p.columns.map((c) => (
                    <td key={c} title={r[c]}>
                      {(r[c] ?? '').slice(0, 120)}
                      {(r[c] ?? '').length > 120 ? '…' : ''}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="preview-table" role="region" aria-label="Instances as they will be stored" tabIndex={0}>
        <h4>Instances as they will be stored</h4>
        {p.instances.length ? (
          <table data-testid="preview-instances">
            <thead>
              <tr>
                <th scope="col">id</th>
                <th scope="col">input</th>
                <th scope="col">choices</th>
                <th scope="col">references</th>
              </tr>
            </thead>
            <tbody>
              {p.instances.map((i) => (
                <tr key={i.ordinal}>
                  <td>{i.id}</td>
                  <td title={i.input}>{i.input.length > 160 ? `${i.input.slice(0, 160)}…` : i.input}</td>
                  <td>
                    {i.choices
                      ? i.choices.map((c, k) => `${String.fromCharCode(65 + k)}. ${c}`).join('  ')
                      : '—'}
                  </td>
                  <td>{i.references.join(' | ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">
            No instance could be built yet: fix the mapping above and update the preview.
          </p>
        )}
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
      {w.step === 'importing' || j ? (
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
                onClick={() => (open(w.result!.benchmarkId), w.hide())}
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
            <p className="error-text">Nothing was imported: the database is as it was.</p>
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
      <ErrorBanner message={w.error} />
      <IssueList title="Problems, by line" issues={w.issues} />
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
