import { useState } from 'react'
import type { Leaderboard } from '../../../../shared/api/leaderboard'

/**
 * Which runs the leaderboard compares: by default each model × benchmark's latest scored run, or
 * only the runs ticked here (the latest of them per model × benchmark). Keyed by the applied runs,
 * so it starts from them again after each change.
 */
export function RunPicker(props: { data: Leaderboard; onApply: (runIds: number[] | null) => void }) {
  const { data, onApply } = props
  const [picked, setPicked] = useState<number[]>(data.runIds ?? [])
  const toggle = (id: number) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].sort((a, b) => a - b)))

  return (
    <details className="lb-runs" data-testid="lb-runs">
      <summary>
        Runs:{' '}
        {data.runIds
          ? `only ${data.runIds.map((id) => `run ${id}`).join(', ')}`
          : 'the latest scored run of each model × benchmark'}
      </summary>
      <fieldset>
        <legend className="sr-only">Runs to compare</legend>
        {data.runs.map((r) => (
          <label key={r.id} className="lb-run-option">
            <input type="checkbox" checked={picked.includes(r.id)} onChange={() => toggle(r.id)} />
            <span>
              Run {r.id}
              {r.name ? ` — ${r.name}` : ''} <span className="muted">({r.status})</span>
              <span className="muted lb-small">
                {' '}
                {r.models.join(', ')} × {r.benchmarks.join(', ')}
                {r.used ? ' · in use' : ''}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="lb-run-actions">
        <button
          type="button"
          className="primary"
          disabled={picked.length === 0}
          onClick={() => onApply(picked)}
        >
          Compare these runs
        </button>
        <button type="button" onClick={() => onApply(null)} disabled={data.runIds === null}>
          Latest scored runs
        </button>
      </div>
    </details>
  )
}
