import { useId, useRef, useState } from 'react'
import { PATIENT_TEXT_WARNING } from '../../../../shared/api/export'
import { api } from '../../lib/api'
import { ExportStatus } from './ExportStatus'
import { useExport } from './useExport'
import './export.css'

/**
 * The Runs screen's "Export results": one run's per-instance results (benchmark, instance, model,
 * response sha256, every metric and jury vote, failures as failures) as CSV or JSONL. Prompts and
 * responses only after the patient-data warning is acknowledged.
 */
export function ExportResultsButton(props: { runId: number }) {
  const exp = useExport()
  const menu = useRef<HTMLDetailsElement>(null)
  const [format, setFormat] = useState<'csv' | 'jsonl'>('csv')
  const [includeText, setIncludeText] = useState(false)
  const [confirmed, setConfirmed] = useState(false)
  const id = useId()
  const start = () => {
    if (menu.current) menu.current.open = false
    return exp.run(
      `run-${props.runId}-results.${format}`,
      format,
      (t, jobId) =>
        api.invoke('export:instances', { runId: props.runId, format, includeText, confirmed, ...t, jobId }),
      'records',
    )
  }
  return (
    <div className="export-menu">
      <details ref={menu}>
        <summary className="button-like" data-testid="export-results">
          Export results
        </summary>
        <div
          className="export-menu-items export-form"
          role="group"
          aria-label={`Export the results of run ${props.runId}`}
        >
          <fieldset>
            <legend>Format</legend>
            <label>
              <input
                type="radio"
                name={`${id}-fmt`}
                checked={format === 'csv'}
                onChange={() => setFormat('csv')}
              />{' '}
              CSV (spreadsheet)
            </label>
            <label>
              <input
                type="radio"
                name={`${id}-fmt`}
                checked={format === 'jsonl'}
                onChange={() => setFormat('jsonl')}
                data-testid="export-results-jsonl"
              />{' '}
              JSON Lines (one record per line)
            </label>
          </fieldset>
          <label>
            <input
              type="checkbox"
              checked={includeText}
              onChange={(e) => {
                setIncludeText(e.target.checked)
                setConfirmed(false)
              }}
              data-testid="export-results-text"
            />{' '}
            Include prompts and responses
          </label>
          {includeText ? (
            <div className="export-warning" role="alert">
              <p>{PATIENT_TEXT_WARNING}</p>
              <label>
                <input
                  type="checkbox"
                  checked={confirmed}
                  onChange={(e) => setConfirmed(e.target.checked)}
                  data-testid="export-results-confirm"
                />{' '}
                I understand; export the texts
              </label>
            </div>
          ) : (
            <p className="muted">Without texts: each response is identified by its SHA-256 hash.</p>
          )}
          <button
            type="button"
            className="primary"
            disabled={exp.busy || (includeText && !confirmed)}
            onClick={() => void start()}
            data-testid="export-results-go"
          >
            Export
          </button>
        </div>
      </details>
      <ExportStatus state={exp} testId="export-results-status" />
    </div>
  )
}
