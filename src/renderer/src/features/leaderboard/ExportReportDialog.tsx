import { useEffect, useRef, useState } from 'react'
import type { JobProgress } from '../../../../shared/api/app'
import type { Leaderboard } from '../../../../shared/api/leaderboard'
import type { ReportFormat, WrittenReport } from '../../../../shared/api/report'
import { ProgressBar } from '../../components/ProgressBar'
import { api, errorMessage } from '../../lib/api'
import { chooseSaveFile } from '../../lib/save-file'
import { useLeaderboard } from './store'
import './export-report.css'

const EXAMPLES_WARNING =
  'Examples are instance texts and model answers: they may contain patient data. Share the report only where patient data may go.'

/** The leaderboard selection in words: what the report will cover. */
function scopeText(data: Leaderboard, runIds: number[] | null, categoryId: string | null): string {
  const runs = runIds ? `runs ${runIds.join(', ')}` : 'the latest scored run of every model × benchmark'
  const cat = categoryId
    ? (data.categories.find((c) => c.id === categoryId)?.name ?? categoryId)
    : 'all categories'
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`
  const cal = data.calibration ? `; jury scores ${data.calibration.label} beside the raw ones` : ''
  return `${n(data.rows.length, 'model')}, ${n(data.columns.length, 'benchmark')}; ${runs}; ${cat}; ${data.statistics.view}, ${data.statistics.adjustName}, seed ${data.statistics.seed}${cal}.`
}

/** Builds and writes the report through report:export, following its progress. */
function useReportExport(data: Leaderboard) {
  const { runIds, categoryId, adjust, unpaired } = useLeaderboard()
  const [busy, setBusy] = useState(false)
  const [progress, setProgress] = useState<JobProgress | null>(null)
  const [result, setResult] = useState<WrittenReport | null>(null)
  const [error, setError] = useState<string | null>(null)

  const run = async (format: ReportFormat, includeExamples: number, gpuHourUsd: number | null) => {
    setError(null)
    setResult(null)
    const stamp = new Date().toISOString().slice(0, 10)
    const target = await chooseSaveFile(`wardeval-report-${stamp}.${format}`, format)
    if (target === null) return // the user cancelled the save dialog
    const jobId = `report-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`
    const off = api.on('job:progress', (p) => {
      if (p.jobId === jobId) setProgress(p.state === 'running' ? p : null)
    })
    setBusy(true)
    try {
      setResult(
        await api.invoke('report:export', {
          format,
          ...(runIds ? { runIds } : {}),
          ...(categoryId ? { categoryId } : {}),
          ...(unpaired ? { unpaired } : {}),
          // The calibration shown on the screen, if any: the report shows the same calibrated scores.
          ...(data.calibration ? { calibration: data.calibration.id } : {}),
          adjust,
          seed: data.statistics.seed,
          includeExamples,
          ...(gpuHourUsd !== null ? { gpuHourUsd } : {}),
          ...target,
          jobId,
        }),
      )
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      off()
      setBusy(false)
      setProgress(null)
    }
  }
  return { run, busy, progress, result, error, scope: scopeText(data, runIds, categoryId) }
}

/** How many examples per benchmark, with the patient-data warning to confirm when there are any. */
function ExamplesField(props: {
  value: number
  understood: boolean
  onChange: (n: number) => void
  onUnderstood: (ok: boolean) => void
}) {
  const n = props.value
  return (
    <>
      <div className="er-row">
        <label>
          Examples per benchmark{' '}
          <input
            type="number"
            min={0}
            max={20}
            value={n}
            onChange={(e) =>
              props.onChange(Math.max(0, Math.min(20, Math.floor(Number(e.target.value) || 0))))
            }
            data-testid="er-examples"
            style={{ width: '5rem' }}
          />
        </label>
        <span className="muted">0 (recommended): no instance text in the report.</span>
      </div>
      {n > 0 ? (
        <div className="er-warning" role="alert" data-testid="er-examples-warning">
          <p>{EXAMPLES_WARNING}</p>
          <label>
            <input
              type="checkbox"
              checked={props.understood}
              onChange={(e) => props.onUnderstood(e.target.checked)}
            />{' '}
            I understand; include {n} example{n === 1 ? '' : 's'} per benchmark
          </label>
        </div>
      ) : null}
    </>
  )
}

function ReportWritten(props: { result: WrittenReport }) {
  return (
    <div className="er-result" role="status" data-testid="er-result">
      <p>
        <strong>Report written and signed:</strong> {props.result.file}
      </p>
      <p>
        Signed by the installation key <code>{props.result.fingerprint}</code> at {props.result.signedAt}.
        Anyone can check it with <code>wardeval verify</code> on the file.
      </p>
    </div>
  )
}

function ExportForm(props: { data: Leaderboard; onClose: () => void }) {
  const [format, setFormat] = useState<ReportFormat>('html')
  const [examples, setExamples] = useState(0)
  const [understood, setUnderstood] = useState(false)
  const [gpuRate, setGpuRate] = useState('')
  const rate = gpuRate.trim() === '' ? null : Number(gpuRate)
  const rateOk = rate === null || (Number.isFinite(rate) && rate >= 0 && rate <= 100_000)
  const { run, busy, progress, result, error, scope } = useReportExport(props.data)
  return (
    <>
      <p className="er-scope" data-testid="er-scope">
        <strong>Scope (the current selection):</strong> {scope}
      </p>
      <fieldset>
        <legend>Format</legend>
        <div className="er-row">
          {(['html', 'pdf'] as const).map((f) => (
            <label key={f}>
              <input type="radio" name="er-format" checked={format === f} onChange={() => setFormat(f)} />{' '}
              {f === 'html' ? 'HTML (opens in any browser, offline)' : 'PDF'}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="er-row">
        GPU-hour rate for local models (USD, optional){' '}
        <input
          type="number"
          min={0}
          step="0.01"
          inputMode="decimal"
          value={gpuRate}
          onChange={(e) => setGpuRate(e.target.value)}
          aria-invalid={!rateOk}
          aria-describedby="er-gpu-help"
          data-testid="er-gpu-rate"
        />
      </label>
      <p id="er-gpu-help" className="muted small">
        Local models are then priced by this rate × their measured generation time; others by their token
        prices.
      </p>
      <ExamplesField
        value={examples}
        understood={understood}
        onChange={(n) => {
          setExamples(n)
          setUnderstood(false)
        }}
        onUnderstood={setUnderstood}
      />
      {progress ? (
        <ProgressBar
          label={progress.label}
          done={progress.done}
          total={progress.total}
          detail={progress.unit}
        />
      ) : busy ? (
        <p role="status" className="muted">
          Building the report…
        </p>
      ) : null}
      {error ? (
        <p className="er-warning" role="alert" data-testid="er-error">
          {error}
        </p>
      ) : null}
      {result ? <ReportWritten result={result} /> : null}
      <div className="er-actions">
        <button
          type="button"
          className="primary"
          onClick={() => void run(format, examples, rate)}
          disabled={busy || !rateOk || (examples > 0 && !understood)}
          data-testid="er-export"
        >
          {busy ? 'Exporting…' : 'Export signed report'}
        </button>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </>
  )
}

/** "Export report": a signed, self-contained report of the current leaderboard selection. */
export function ExportReportDialog(props: { data: Leaderboard }) {
  const [open, setOpen] = useState(false)
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (open && d && !d.open) d.showModal()
    if (!open && d?.open) d.close()
  }, [open])
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} data-testid="lb-export-report">
        Export report…
      </button>
      <dialog
        ref={ref}
        className="er-dialog"
        aria-labelledby="er-title"
        data-testid="er-dialog"
        onCancel={(e) => {
          e.preventDefault()
          setOpen(false)
        }}
      >
        <h2 id="er-title">Export report for a committee</h2>
        <p className="muted">
          One self-contained file — summary, scope, coverage, leaderboard with intervals, cost, jury
          reliability, clinician agreement, privacy and limitations — signed by this installation&apos;s key.
        </p>
        {open ? <ExportForm data={props.data} onClose={() => setOpen(false)} /> : null}
      </dialog>
    </>
  )
}
