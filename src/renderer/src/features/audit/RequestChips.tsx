import { PURPOSE_LABELS } from './format'
import { useRequests, type RequestChips } from './requests-store'

const STATUS_LABELS: Record<string, string> = {
  ok: 'OK',
  failed: 'Failed',
  unfinished: 'No outcome',
  in_flight: 'In flight',
  refused: 'Refused',
  recorded: 'Policy events',
}

function ChipGroup({
  label,
  field,
  counts,
  names,
}: {
  label: string
  field: 'purposeKind' | 'status' | 'host'
  counts: Record<string, number>
  names: (k: string) => string
}) {
  const s = useRequests()
  const current = s.chips[field]
  const keys = Object.keys(counts).sort((a, b) => counts[b]! - counts[a]!)
  if (keys.length === 0) return null
  const pick = (v: string) => s.setChips({ [field]: v } as Partial<RequestChips>)
  return (
    <div className="we-chips" role="group" aria-label={label}>
      <span className="we-chips-label">{label}</span>
      <button type="button" className="we-chip" aria-pressed={current === ''} onClick={() => pick('')}>
        All
      </button>
      {keys.map((k) => (
        <button
          key={k}
          type="button"
          className="we-chip"
          aria-pressed={current === k}
          onClick={() => pick(current === k ? '' : k)}
          data-testid={`chip-${field}-${k}`}
        >
          {names(k)} ({counts[k]!.toLocaleString()})
        </button>
      ))}
    </div>
  )
}

/** Filter chips by purpose, status and destination (with counts for the whole log), and grouping. */
export function RequestChipsBar() {
  const s = useRequests()
  const f = s.page?.facets
  if (!f) return null
  // destination facets are host:port; the filter is by host
  const hosts: Record<string, number> = {}
  for (const [d, n] of Object.entries(f.destination)) {
    const h = d.startsWith('[') ? d.slice(1, d.indexOf(']')) : d.replace(/:\d+$/, '')
    hosts[h] = (hosts[h] ?? 0) + n
  }
  return (
    <div className="we-chip-bar">
      <ChipGroup
        label="Purpose"
        field="purposeKind"
        counts={f.purposeKind}
        names={(k) => PURPOSE_LABELS[k] ?? k}
      />
      <ChipGroup label="Status" field="status" counts={f.status} names={(k) => STATUS_LABELS[k] ?? k} />
      <ChipGroup label="Destination" field="host" counts={hosts} names={(k) => k} />
      <label className="we-check">
        <input
          type="checkbox"
          checked={s.chips.groupChecks}
          onChange={(e) => s.setChips({ groupChecks: e.target.checked })}
          data-testid="group-checks"
        />{' '}
        Group repeated status checks
      </label>
    </div>
  )
}
