import { useRef } from 'react'
import type { Leaderboard } from '../../../../shared/api/leaderboard'
import { api } from '../../lib/api'
import { useLeaderboard } from '../leaderboard/store'
import { ExportStatus } from './ExportStatus'
import { useExport } from './useExport'
import './export.css'

/**
 * The Leaderboard screen's "Export data" menu: the leaderboard shown (same runs, category, view,
 * adjustment, calibration and seed) as CSV or JSON, or its HELM-shaped statistics as JSON.
 */
const ITEMS = [
  { what: 'csv', label: 'Leaderboard as CSV', hint: 'spreadsheet: one row per model × benchmark' },
  { what: 'json', label: 'Leaderboard as JSON', hint: 'everything on this screen' },
  { what: 'helm', label: 'HELM statistics (JSON)', hint: 'to set beside the public MedHELM leaderboard' },
] as const

export function ExportDataMenu(props: { data: Leaderboard }) {
  const { runIds, categoryId, unpaired, adjust, calibrated } = useLeaderboard()
  const exp = useExport()
  const menu = useRef<HTMLDetailsElement>(null)
  const query = {
    ...(runIds ? { runIds } : {}),
    ...(categoryId ? { categoryId } : {}),
    ...(unpaired ? { unpaired } : {}),
    ...(calibrated ? { calibration: 'latest' as const } : {}),
    adjust,
    seed: props.data.statistics.seed,
  }
  const stem = `leaderboard${categoryId ? `-${categoryId}` : ''}`
  const choose = (what: 'csv' | 'json' | 'helm') => {
    if (menu.current) menu.current.open = false
    if (what === 'helm')
      return exp.run(
        `${stem}-helm-stats.json`,
        'json',
        (t, jobId) => api.invoke('export:helm', { query, ...t, jobId }),
        'models',
      )
    return exp.run(
      `${stem}.${what}`,
      what,
      (t, jobId) => api.invoke('export:leaderboard', { query, format: what, ...t, jobId }),
      what === 'csv' ? 'rows' : 'models',
    )
  }
  return (
    <div className="export-menu">
      <details ref={menu}>
        <summary className="button-like" data-testid="lb-export-menu" aria-disabled={exp.busy}>
          Export data
        </summary>
        <ul className="export-menu-items" aria-label="Export data">
          {ITEMS.map((item) => (
            <li key={item.what}>
              <button
                type="button"
                disabled={exp.busy}
                onClick={() => void choose(item.what)}
                data-testid={`lb-export-${item.what}`}
              >
                {item.label} <span className="muted">({item.hint})</span>
              </button>
            </li>
          ))}
        </ul>
      </details>
      <ExportStatus state={exp} testId="lb-export-status" />
    </div>
  )
}
