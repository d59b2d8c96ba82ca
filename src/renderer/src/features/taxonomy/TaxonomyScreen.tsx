import { displayText } from '../../../../shared/display-text'
import {
  Fragment,
  useEffect,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react'
import type { TaxonomySubcategory, TaxonomyTask, TaxonomyView } from '../../../../shared/api/benchmarks'
import { EmptyState } from '../../components/EmptyState'
import { ErrorBanner } from '../../components/ErrorBanner'
import { PageHeader } from '../../components/PageHeader'
import { useNav } from '../../stores/nav'
import { useBenchmarks, useImportWizard } from '../benchmarks/store'
import { useTaxonomy } from './store'
import './taxonomy.css'

/** Heat level of a subcategory: 0 not covered, then by loaded instances (log scale). */
export function heatLevel(s: Pick<TaxonomySubcategory, 'covered' | 'instanceCount'>): 0 | 1 | 2 | 3 | 4 {
  if (!s.covered) return 0
  if (s.instanceCount < 50) return 1
  if (s.instanceCount < 500) return 2
  if (s.instanceCount < 5000) return 3
  return 4
}

const LEGEND = ['Not covered', '< 50 instances', '50–499', '500–4,999', '≥ 5,000'] as const

function CoverageMap(props: {
  view: TaxonomyView
  selected: string | null
  onSelect: (id: string) => void
  /** The chosen subcategory's details, shown right below its row so they open beside the tile. */
  detail: ReactNode
}) {
  const rows = props.view.categories
  // Arrow keys move between tiles: left/right within a category, up/down to the neighbouring one.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement
    const r = Number(target.dataset.row)
    const c = Number(target.dataset.col)
    if (!Number.isInteger(r) || !Number.isInteger(c)) return
    let nr = r
    let nc = c
    if (e.key === 'ArrowRight') nc++
    else if (e.key === 'ArrowLeft') nc--
    else if (e.key === 'ArrowDown') nr++
    else if (e.key === 'ArrowUp') nr--
    else if (e.key === 'Home') nc = 0
    else if (e.key === 'End') nc = Number.MAX_SAFE_INTEGER
    else return
    e.preventDefault()
    nr = Math.max(0, Math.min(rows.length - 1, nr))
    nc = Math.max(0, Math.min(rows[nr]!.subcategories.length - 1, nc))
    e.currentTarget.querySelector<HTMLButtonElement>(`[data-row="${nr}"][data-col="${nc}"]`)?.focus()
  }
  return (
    <section className="panel" aria-labelledby="coverage-title">
      <div className="coverage-head">
        <h2 id="coverage-title">Coverage map</h2>
        <ul className="heat-legend" aria-label="Legend">
          {LEGEND.map((l, i) => (
            <li key={l}>
              <span className={`heat-swatch heat-${i}`} aria-hidden="true" /> {l}
            </li>
          ))}
        </ul>
      </div>
      <p className="muted">
        Each tile is a subcategory; its colour shows how many instances of your loaded benchmarks exercise it.
        Select a tile to see its benchmarks and tasks (arrow keys move between tiles).
      </p>
      <div
        className="coverage-map"
        role="group"
        aria-label="Taxonomy coverage"
        onKeyDown={onKeyDown}
        data-testid="coverage-map"
      >
        {rows.map((cat, r) => (
          <Fragment key={cat.id}>
            <div className="coverage-row">
              <h3 className="coverage-category" id={`cat-${cat.id}`}>
                {cat.name}
                <span className="muted">
                  {' '}
                  {cat.subcategories.filter((s) => s.covered).length}/{cat.subcategories.length}
                </span>
              </h3>
              <ul className="coverage-tiles" aria-labelledby={`cat-${cat.id}`}>
                {cat.subcategories.map((s, c) => {
                  const level = heatLevel(s)
                  return (
                    <li key={s.id}>
                      <button
                        type="button"
                        className={`coverage-tile heat-${level}${props.selected === s.id ? ' selected' : ''}`}
                        data-row={r}
                        data-col={c}
                        data-testid={`tile-${s.id}`}
                        data-covered={s.covered}
                        aria-pressed={props.selected === s.id}
                        aria-expanded={props.selected === s.id}
                        onClick={() => props.onSelect(s.id)}
                      >
                        <span className="tile-name">{s.name}</span>
                        <span className="tile-stats">
                          {s.covered
                            ? `${s.loadedBenchmarkCount} benchmark${s.loadedBenchmarkCount === 1 ? '' : 's'} · ${s.instanceCount.toLocaleString()} instances`
                            : 'Not covered'}
                        </span>
                      </button>
                    </li>
                  )
                })}
              </ul>
            </div>
            {cat.subcategories.some((s) => s.id === props.selected) ? props.detail : null}
          </Fragment>
        ))}
      </div>
    </section>
  )
}

function TaskRow(props: { task: TaxonomyTask; sub: TaxonomySubcategory; view: TaxonomyView }) {
  const { updateTask, removeTask, mapTask } = useTaxonomy()
  const [editing, setEditing] = useState(false)
  const [name, setName] = useState(props.task.name)
  const [mapping, setMapping] = useState('')
  const t = props.task
  const allSubs = props.view.categories.flatMap((c) => c.subcategories)
  const candidates = useMemo(() => {
    const ids = new Map<string, string>()
    for (const s of allSubs)
      for (const b of s.benchmarks) if (b.loaded || s.id === props.sub.id) ids.set(b.id, b.name)
    return [...ids].filter(([id]) => !t.benchmarkIds.includes(id)).sort((a, b) => a[1].localeCompare(b[1]))
  }, [allSubs, props.sub.id, t.benchmarkIds])
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (await updateTask(t.id, { name })) setEditing(false)
  }
  return (
    <li className="task-row" data-testid={`task-${t.id}`}>
      <div className="task-main">
        {editing ? (
          <form onSubmit={submit} className="inline-form">
            <label className="sr-only" htmlFor={`rename-${t.id}`}>
              New name for {t.name}
            </label>
            <input
              id={`rename-${t.id}`}
              value={name}
              onChange={(e) => setName(e.target.value)}
              autoFocus
              maxLength={200}
            />
            <button type="submit" className="primary">
              Save
            </button>
            <button
              type="button"
              onClick={() => {
                setEditing(false)
                setName(t.name)
              }}
            >
              Cancel
            </button>
          </form>
        ) : (
          <>
            <strong>{displayText(t.name)}</strong>{' '}
            <span className={t.origin === 'local' ? 'badge' : 'badge ok'}>
              {t.origin === 'local' ? 'local' : t.edited ? 'shipped, edited' : 'shipped'}
            </span>{' '}
            <span className={t.covered ? 'badge ok' : 'badge'}>{t.covered ? 'covered' : 'not covered'}</span>
          </>
        )}
        <div className="muted small">
          {t.shippedName && t.edited ? `Shipped as “${t.shippedName}”. ` : ''}
          {t.origin === 'local' ? 'Added on this machine.' : 'From MedHELM’s published taxonomy.'}
        </div>
        <div className="chips" aria-label="Benchmarks mapped to this task">
          {t.benchmarkIds.map((b) => (
            <span className="chip" key={b}>
              {b}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Unmap ${b} from ${t.name}`}
                onClick={() => void mapTask(t.id, b, false)}
              >
                ×
              </button>
            </span>
          ))}
        </div>
      </div>
      <div className="task-actions">
        {!editing ? (
          <button type="button" onClick={() => setEditing(true)}>
            Rename
          </button>
        ) : null}
        <label className="sr-only" htmlFor={`move-${t.id}`}>
          Move {t.name} to subcategory
        </label>
        <select
          id={`move-${t.id}`}
          value={props.sub.id}
          onChange={(e) => void updateTask(t.id, { subcategoryId: e.target.value })}
        >
          {allSubs.map((s) => (
            <option key={s.id} value={s.id}>
              {s.id === props.sub.id ? `In ${s.name}` : `Move to ${s.name}`}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor={`map-${t.id}`}>
          Map a benchmark to {t.name}
        </label>
        <select
          id={`map-${t.id}`}
          value={mapping}
          onChange={(e) => {
            setMapping('')
            if (e.target.value) void mapTask(t.id, e.target.value, true)
          }}
        >
          <option value="">Map a benchmark…</option>
          {candidates.map(([id, n]) => (
            <option key={id} value={id}>
              {n} ({id})
            </option>
          ))}
        </select>
        {t.origin === 'local' || t.edited ? (
          <button type="button" onClick={() => void removeTask(t.id)}>
            {t.origin === 'local' ? 'Remove' : 'Revert'}
          </button>
        ) : null}
      </div>
    </li>
  )
}

function CoverageBenchmarks(props: { sub: TaxonomySubcategory }) {
  const go = useNav((s) => s.go)
  const openBenchmark = useBenchmarks((s) => s.open)
  const s = props.sub
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Benchmark</th>
          <th scope="col">Access</th>
          <th scope="col">Status</th>
          <th scope="col">Instances</th>
          <th scope="col">Version</th>
        </tr>
      </thead>
      <tbody>
        {s.benchmarks.map((b) => (
          <tr key={b.id} data-testid={`coverage-benchmark-${b.id}`}>
            <td>
              {b.loaded ? (
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    openBenchmark(b.id)
                    go('benchmarks')
                  }}
                >
                  {displayText(b.name)}
                </button>
              ) : (
                displayText(b.name)
              )}{' '}
              <span className="muted small">{b.id}</span>
            </td>
            <td>
              <span
                className={
                  b.access === 'public' ? 'badge ok' : b.access === 'private' ? 'badge danger' : 'badge'
                }
              >
                {b.access}
              </span>
            </td>
            <td>{b.loaded ? (b.sample ? 'Loaded (sample)' : 'Loaded') : b.inCatalog ? 'Not loaded' : '—'}</td>
            <td>{b.loaded ? b.instanceCount.toLocaleString() : '—'}</td>
            <td>{b.version ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** What the subcategory means, examples, and how to bring evidence for it. */
function SubcategoryGuide(props: { sub: TaxonomySubcategory }) {
  const go = useNav((s) => s.go)
  const showWizard = useImportWizard((s) => s.show)
  const setSetting = useImportWizard((s) => s.setSetting)
  const s = props.sub
  const importHere = () => {
    showWizard()
    setSetting('subcategory', s.id)
    go('benchmarks')
  }
  return (
    <div className="guide-columns">
      <div>
        <h3>What it covers</h3>
        <p data-testid="subcategory-summary">{s.summary}</p>
        {s.description ? <p className="muted small">MedHELM: {s.description}</p> : null}
        <h3>Example tasks</h3>
        <ul data-testid="subcategory-examples">
          {s.examples.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      </div>
      <div>
        {s.benchmarkTasks.length ? (
          <>
            <h3>What MedHELM’s benchmarks here test</h3>
            <ul>
              {s.benchmarkTasks.map((b) => (
                <li key={`${b.benchmark}-${b.what}`}>
                  {b.what} <span className="muted small">({b.benchmark})</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h3>How to add evidence here</h3>
        <ol>
          <li>
            Export the cases from your system as CSV, TSV or JSONL (one row per case, with the correct
            answer).
          </li>
          <li>
            <button type="button" className="link" onClick={importHere} data-testid="import-here">
              Import it as a benchmark in {s.name}
            </button>{' '}
            — the wizard shows the exact prompt before anything is stored.
          </li>
          <li>Run your models on it from the Runs screen; the tile fills as instances are loaded.</li>
        </ol>
      </div>
    </div>
  )
}

function SubcategoryDetail(props: { sub: TaxonomySubcategory; view: TaxonomyView; onClose: () => void }) {
  const { addTask } = useTaxonomy()
  const [name, setName] = useState('')
  const ref = useRef<HTMLElement>(null)
  const s = props.sub
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' })
  }, [])
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (name.trim() && (await addTask(s.id, name.trim()))) setName('')
  }
  return (
    <section
      ref={ref}
      className="panel subcategory-detail"
      aria-labelledby="sub-title"
      data-testid="subcategory-detail"
    >
      <div className="coverage-head">
        <h2 id="sub-title">{s.name}</h2>
        <button type="button" onClick={props.onClose} aria-label="Close the subcategory details">
          Close
        </button>
      </div>
      <SubcategoryGuide sub={s} />
      <h3>Benchmarks that cover it</h3>
      <CoverageBenchmarks sub={s} />
      <h3>Your hospital’s tasks</h3>
      <p className="muted small">
        Name the tasks your hospital evaluates in this subcategory and map benchmarks to them; the names are
        kept in this database.
      </p>
      <ul className="task-list">
        {s.tasks.map((t) => (
          <TaskRow key={t.id} task={t} sub={s} view={props.view} />
        ))}
      </ul>
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor="new-task">Add a task</label>
        <input
          id="new-task"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. Summarize a radiology report"
          maxLength={200}
        />
        <button type="submit" className="primary" disabled={!name.trim()}>
          Add task
        </button>
      </form>
    </section>
  )
}

export function TaxonomyScreen() {
  const { view, loading, error, selected, load, select, dismissError } = useTaxonomy()
  const go = useNav((s) => s.go)
  const showWizard = useImportWizard((s) => s.show)
  const importBenchmark = () => {
    showWizard()
    go('benchmarks')
  }
  useEffect(() => {
    void load()
  }, [load])
  const sub = view?.categories.flatMap((c) => c.subcategories).find((s) => s.id === selected) ?? null
  const t = view?.totals
  return (
    <>
      <PageHeader
        title="Taxonomy"
        subtitle="MedHELM's clinician-validated taxonomy: 5 categories, 22 subcategories, 121 tasks — and what your loaded benchmarks cover."
        actions={
          <button type="button" className="primary" onClick={importBenchmark}>
            Import a benchmark
          </button>
        }
      />
      <ErrorBanner message={error} onDismiss={dismissError} />
      {!view ? (
        <p className="muted" role="status">
          {loading ? 'Loading the taxonomy…' : ''}
        </p>
      ) : (
        <>
          <p className="coverage-summary" data-testid="coverage-summary">
            <strong>
              {t!.coveredSubcategories} of {t!.subcategories}
            </strong>{' '}
            subcategories covered by {t!.loadedBenchmarks} loaded benchmark
            {t!.loadedBenchmarks === 1 ? '' : 's'} ({t!.instances.toLocaleString()} instances);{' '}
            {t!.coveredTasks} of {t!.tasks} known tasks covered.
          </p>
          {t!.loadedBenchmarks === 0 ? (
            <EmptyState
              title="No benchmarks cover the taxonomy yet"
              action={
                <button type="button" className="primary" onClick={importBenchmark}>
                  Import a benchmark
                </button>
              }
            >
              <p>
                Import a benchmark (or restore the bundled samples on the Benchmarks screen) to see which
                clinical tasks it covers.
              </p>
            </EmptyState>
          ) : null}
          <CoverageMap
            view={view}
            selected={selected}
            onSelect={(id) => select(id === selected ? null : id)}
            detail={
              sub ? (
                <SubcategoryDetail key={sub.id} sub={sub} view={view} onClose={() => select(null)} />
              ) : null
            }
          />
          <p className="provenance small">
            The categories and subcategories are MedHELM’s (Bedi, Cui et al., 2025), validated by clinicians;
            the plain-language summaries and example tasks are WardEval’s guidance. The exact sources are
            listed by the CLI’s <code>taxonomy --json</code>.
          </p>
        </>
      )}
    </>
  )
}
