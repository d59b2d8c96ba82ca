import { useState, type FormEvent } from 'react'
import { useReview } from './store'

/** A new review set: a run, one of its open-ended benchmarks, how many outputs, and the seed. */
export function NewSetForm() {
  const candidates = useReview((s) => s.candidates)
  const createSet = useReview((s) => s.createSet)
  const [runId, setRunId] = useState<number | null>(null)
  const [benchmarkId, setBenchmarkId] = useState<string | null>(null)
  const [size, setSize] = useState('')
  const [seed, setSeed] = useState('0')
  const [showGold, setShowGold] = useState(false)

  const run = candidates.find((c) => c.runId === runId) ?? candidates[0]
  const benchmark = run?.benchmarks.find((b) => b.benchmarkId === benchmarkId) ?? run?.benchmarks[0]
  if (!run || !benchmark) return null
  const max = benchmark.eligibleItems
  const sizeValue = size === '' ? Math.min(30, max) : Number(size)
  const valid = Number.isInteger(sizeValue) && sizeValue >= 1 && sizeValue <= max && /^\d+$/.test(seed)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!valid) return
    if (
      await createSet({
        runId: run.runId,
        benchmarkId: benchmark.benchmarkId,
        size: sizeValue,
        seed: Number(seed),
        showGold,
      })
    )
      setSize('')
  }

  return (
    <form className="panel rv-new-set" aria-labelledby="rv-new-h" onSubmit={(e) => void submit(e)}>
      <h2 id="rv-new-h">New review set</h2>
      <p className="muted">
        A seeded sample of one run&apos;s outputs on an open-ended benchmark, split evenly across the
        run&apos;s models. Every reviewer rates the same set, each in their own order.
      </p>
      <div className="rv-form-row">
        <label>
          Run
          <select
            value={run.runId}
            onChange={(e) => {
              setRunId(Number(e.target.value))
              setBenchmarkId(null)
            }}
          >
            {candidates.map((c) => (
              <option key={c.runId} value={c.runId}>
                Run {c.runId}
                {c.runName ? ` — ${c.runName}` : ''} ({c.runStatus})
              </option>
            ))}
          </select>
        </label>
        <label>
          Benchmark
          <select value={benchmark.benchmarkId} onChange={(e) => setBenchmarkId(e.target.value)}>
            {run.benchmarks.map((b) => (
              <option key={b.benchmarkId} value={b.benchmarkId}>
                {b.benchmarkName} ({b.eligibleItems} outputs, {b.models} models)
              </option>
            ))}
          </select>
        </label>
        <label>
          Outputs to rate
          <input
            type="number"
            min={1}
            max={max}
            value={size === '' ? String(sizeValue) : size}
            onChange={(e) => setSize(e.target.value)}
            aria-describedby="rv-size-hint"
          />
        </label>
        <label>
          Seed
          <input type="number" min={0} value={seed} onChange={(e) => setSeed(e.target.value)} />
        </label>
        <label className="rv-check">
          <input type="checkbox" checked={showGold} onChange={(e) => setShowGold(e.target.checked)} />
          Show the gold answer
        </label>
        <button type="submit" className="primary" disabled={!valid || max === 0}>
          Create set
        </button>
      </div>
      <p id="rv-size-hint" className="muted small">
        {max === 0
          ? 'This benchmark has no completed, non-empty output in this run yet.'
          : `At most ${max}. Agreement figures need at least 10 rated items; MedHELM's clinicians rated a few dozen per benchmark.`}
      </p>
    </form>
  )
}
