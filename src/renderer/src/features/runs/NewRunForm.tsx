import { useMemo, useState, type FormEvent } from 'react'
import type { BenchmarkSummary } from '../../../../shared/api/benchmarks'
import { useNav } from '../../stores/nav'
import { PowerHint } from './PowerHint'
import { useRuns } from './store'

interface Group {
  label: string
  benchmarks: BenchmarkSummary[]
}

/** A taxonomy category's loaded benchmarks, by subcategory. */
interface CategoryGroup {
  category: string
  groups: Group[]
}

/** Loaded benchmarks grouped by where they sit in the MedHELM taxonomy (category › subcategory). */
function taxonomyGroups(
  taxonomy: ReturnType<typeof useRuns.getState>['taxonomy'],
  benchmarks: BenchmarkSummary[],
): CategoryGroup[] {
  const byId = new Map(benchmarks.map((b) => [b.id, b]))
  const placed = new Set<string>()
  const out: CategoryGroup[] = []
  for (const c of taxonomy?.categories ?? []) {
    const groups: Group[] = []
    for (const s of c.subcategories) {
      const list = s.benchmarks
        .filter((b) => b.loaded && byId.has(b.id) && !placed.has(b.id))
        .map((b) => byId.get(b.id)!)
      list.forEach((b) => placed.add(b.id))
      if (list.length) groups.push({ label: s.name, benchmarks: list })
    }
    if (groups.length) out.push({ category: c.name, groups })
  }
  const rest = benchmarks.filter((b) => !placed.has(b.id))
  if (rest.length)
    out.push({ category: 'Other loaded benchmarks', groups: [{ label: '', benchmarks: rest }] })
  return out
}

/** "Select all in <category>": checked when all are chosen, mixed when some are. */
function SelectAllInCategory(props: {
  group: CategoryGroup
  chosen: Set<string>
  onChange: (s: Set<string>) => void
}) {
  const ids = props.group.groups.flatMap((g) => g.benchmarks.map((b) => b.id))
  const count = ids.filter((id) => props.chosen.has(id)).length
  const all = count === ids.length
  return (
    <label className="check run-form-select-all">
      <input
        type="checkbox"
        checked={all}
        ref={(el) => {
          if (el) el.indeterminate = count > 0 && !all
        }}
        onChange={() => {
          const next = new Set(props.chosen)
          for (const id of ids) {
            if (all) next.delete(id)
            else next.add(id)
          }
          props.onChange(next)
        }}
        data-testid={`select-all-${props.group.category}`}
      />
      <span>
        Select all in {props.group.category}{' '}
        <span className="muted">
          ({count} of {ids.length} chosen)
        </span>
      </span>
    </label>
  )
}

const numberOrUndefined = (s: string) => (s.trim() === '' ? undefined : Number(s))

export function NewRunForm(props: { onStarted: () => void; onCancel: () => void }) {
  const { taxonomy, benchmarks, models, modelFailures, refreshingModels, starting, loadOptions, start } =
    useRuns()
  const go = useNav((s) => s.go)
  const [chosenBenchmarks, setChosenBenchmarks] = useState<Set<string>>(new Set())
  const [chosenModels, setChosenModels] = useState<Set<string>>(new Set())
  const [name, setName] = useState('')
  const [limit, setLimit] = useState('')
  const [seed, setSeed] = useState('0')
  const [concurrency, setConcurrency] = useState('')
  const [temperature, setTemperature] = useState('')
  const [maxTokens, setMaxTokens] = useState('')
  const [attempts, setAttempts] = useState('4')
  const [timeoutS, setTimeoutS] = useState('')
  const [useCache, setUseCache] = useState(true)
  const groups = useMemo(() => taxonomyGroups(taxonomy, benchmarks), [taxonomy, benchmarks])

  const digestCount = useMemo(() => {
    const m = new Map<string, number>()
    for (const x of models) if (x.digest) m.set(x.digest, (m.get(x.digest) ?? 0) + 1)
    return m
  }, [models])

  const toggle = (set: Set<string>, value: string, update: (s: Set<string>) => void) => {
    const next = new Set(set)
    if (next.has(value)) next.delete(value)
    else next.add(value)
    update(next)
  }

  // Instances per benchmark the comparison will rest on: the limit, or the smallest chosen benchmark.
  const chosenCounts = [...chosenBenchmarks].map(
    (id) => benchmarks.find((x) => x.id === id)?.latest.instanceCount ?? 0,
  )
  const limitN = numberOrUndefined(limit)
  const powerN =
    limitN !== undefined && Number.isInteger(limitN) && limitN > 0
      ? Math.min(limitN, ...chosenCounts.filter((c) => c > 0))
      : chosenCounts.length
        ? Math.min(...chosenCounts)
        : null

  const items = [...chosenBenchmarks].reduce((n, id) => {
    const b = benchmarks.find((x) => x.id === id)
    const count = b?.latest.instanceCount ?? 0
    const lim = numberOrUndefined(limit)
    return n + (lim ? Math.min(lim, count) : count)
  }, 0)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const ok = await start({
      name: name.trim(),
      benchmarks: [...chosenBenchmarks],
      models: [...chosenModels],
      seed: numberOrUndefined(seed) ?? 0,
      settings: {
        limit: numberOrUndefined(limit) ?? null,
        concurrency: numberOrUndefined(concurrency) ?? null,
        maxAttempts: numberOrUndefined(attempts) ?? 4,
        timeoutMs: timeoutS.trim() === '' ? null : Math.round(Number(timeoutS) * 1000),
        useCache,
        generation: {
          ...(numberOrUndefined(temperature) !== undefined ? { temperature: Number(temperature) } : {}),
          ...(numberOrUndefined(maxTokens) !== undefined ? { maxTokens: Number(maxTokens) } : {}),
        },
      },
    })
    if (ok) props.onStarted()
  }

  const missing =
    chosenBenchmarks.size === 0
      ? 'Choose at least one benchmark.'
      : chosenModels.size === 0
        ? 'Choose at least one model.'
        : null

  return (
    <form
      className="panel run-form"
      onSubmit={(e) => void submit(e)}
      aria-label="New run"
      data-testid="new-run-form"
    >
      <h2>New run</h2>
      <div className="run-form-columns">
        <fieldset>
          <legend>Benchmarks</legend>
          {groups.length === 0 ? (
            <p className="muted">
              No benchmark is loaded.{' '}
              <button type="button" className="link" onClick={() => go('benchmarks')}>
                Load one
              </button>
            </p>
          ) : (
            groups.map((cg) => (
              <div key={cg.category} className="run-form-category" role="group" aria-label={cg.category}>
                <div className="run-form-category-label">{cg.category}</div>
                <SelectAllInCategory group={cg} chosen={chosenBenchmarks} onChange={setChosenBenchmarks} />
                {cg.groups.map((g) => (
                  <div key={g.label} className="run-form-group">
                    {g.label ? <div className="run-form-group-label">{g.label}</div> : null}
                    {g.benchmarks.map((b) => (
                      <label key={b.id} className="check">
                        <input
                          type="checkbox"
                          checked={chosenBenchmarks.has(b.id)}
                          onChange={() => toggle(chosenBenchmarks, b.id, setChosenBenchmarks)}
                          data-testid={`pick-benchmark-${b.id}`}
                        />
                        <span>
                          {b.name}{' '}
                          <span className="muted">
                            ({b.latest.instanceCount.toLocaleString()} instances ·{' '}
                            {b.taskType.replace('_', ' ')})
                          </span>
                        </span>
                      </label>
                    ))}
                  </div>
                ))}
              </div>
            ))
          )}
        </fieldset>
        <fieldset>
          <legend>Models</legend>
          {models.length === 0 ? (
            <p className="muted">
              No model has been listed yet.{' '}
              <button type="button" className="link" onClick={() => void loadOptions(true)}>
                Ask the endpoints
              </button>{' '}
              or{' '}
              <button type="button" className="link" onClick={() => go('models')}>
                connect one
              </button>
              .
            </p>
          ) : (
            models.map((m) => (
              <label key={m.key} className="check">
                <input
                  type="checkbox"
                  checked={chosenModels.has(m.key)}
                  onChange={() => toggle(chosenModels, m.key, setChosenModels)}
                  data-testid={`pick-model-${m.key}`}
                />
                <span>
                  {m.key}{' '}
                  <span className="muted">
                    {m.parameterSize ?? ''} {m.quantization ?? ''}{' '}
                    {m.digest ? `· ${m.digest.slice(0, 12)}` : '· no digest (answers are not cached)'}
                    {m.digest && (digestCount.get(m.digest) ?? 0) > 1
                      ? ' · same model on several endpoints: they share the work'
                      : ''}
                  </span>
                </span>
              </label>
            ))
          )}
          {modelFailures.map((f) => (
            <p key={f.endpoint} className="muted" role="status">
              {f.endpoint}: {f.error}
            </p>
          ))}
          <button type="button" onClick={() => void loadOptions(true)} disabled={refreshingModels}>
            {refreshingModels ? 'Asking the endpoints…' : 'Refresh models'}
          </button>
        </fieldset>
        <fieldset>
          <legend>Settings</legend>
          <label>
            Name{' '}
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="optional"
              maxLength={200}
            />
          </label>
          <label>
            Instances per benchmark{' '}
            <input
              type="number"
              min={1}
              value={limit}
              onChange={(e) => setLimit(e.target.value)}
              placeholder="all"
              data-testid="run-limit"
            />
          </label>
          <PowerHint n={powerN} />
          <label>
            Sampling seed{' '}
            <input type="number" min={0} value={seed} onChange={(e) => setSeed(e.target.value)} />
          </label>
          <label>
            Requests in flight per endpoint{' '}
            <input
              type="number"
              min={1}
              max={256}
              value={concurrency}
              onChange={(e) => setConcurrency(e.target.value)}
              placeholder="endpoint setting (4)"
            />
          </label>
          <label>
            Temperature{' '}
            <input
              type="number"
              min={0}
              max={2}
              step={0.1}
              value={temperature}
              onChange={(e) => setTemperature(e.target.value)}
              placeholder="benchmark's (0)"
            />
          </label>
          <label>
            Maximum answer tokens{' '}
            <input
              type="number"
              min={1}
              value={maxTokens}
              onChange={(e) => setMaxTokens(e.target.value)}
              placeholder="benchmark's"
            />
          </label>
          <label>
            Attempts per instance{' '}
            <input
              type="number"
              min={1}
              max={20}
              value={attempts}
              onChange={(e) => setAttempts(e.target.value)}
            />
          </label>
          <label>
            Time limit per request (s){' '}
            <input
              type="number"
              min={1}
              value={timeoutS}
              onChange={(e) => setTimeoutS(e.target.value)}
              placeholder="endpoint setting"
            />
          </label>
          <label className="check">
            <input type="checkbox" checked={useCache} onChange={(e) => setUseCache(e.target.checked)} /> Reuse
            cached answers (same model digest, prompt and settings)
          </label>
        </fieldset>
      </div>
      <div className="run-form-actions">
        <span className="muted" role="status">
          {missing ??
            `${(items * chosenModels.size).toLocaleString()} requests at most (${items.toLocaleString()} instances × ${chosenModels.size} model${chosenModels.size === 1 ? '' : 's'})`}
        </span>
        <button type="button" onClick={props.onCancel}>
          Close
        </button>
        <button
          type="submit"
          className="primary"
          disabled={missing !== null || starting}
          data-testid="start-run"
        >
          {starting ? 'Starting…' : 'Start run'}
        </button>
      </div>
    </form>
  )
}
