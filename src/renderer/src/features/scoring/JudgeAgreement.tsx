import { useEffect, useState, type FormEvent } from 'react'
import type { BenchmarkAgreement, ScoringSettings } from '../../../../shared/api/jury'
import { DEFAULT_JURY_SIZE } from '../../../../shared/api/jury'
import { EmptyState } from '../../components/EmptyState'
import { ErrorBanner } from '../../components/ErrorBanner'
import { ProgressBar } from '../../components/ProgressBar'
import { FigureNotes } from '../../components/FigureNotes'
import { STATISTIC_EXPLANATIONS } from '../../../../shared/statistics-text'
import { ModelKeySelect } from '../../components/ModelKeySelect'
import { formatScore, formatShare } from './heat'
import { JudgePicker } from './JudgePicker'
import { ScoringOutcome } from './ScoringOutcome'
import { useScoring } from './store'
import './scoring.css'

/**
 * A run's jury at a glance: per benchmark the spread between judges, the share of failed votes
 * and how many instances are unscored; the jury's judges; a button to score the run (metrics,
 * similarity and jury, resumable) with its progress.
 */
export function JudgeAgreement({ runId }: { runId: number }) {
  const agreement = useScoring((s) => s.agreement[runId])
  const job = useScoring((s) => s.jobs[runId])
  const error = useScoring((s) => s.error)
  const { loadAgreement, loadSettings, scoreRun, cancelScoring, dismiss } = useScoring.getState()
  const settings = useScoring((s) => s.settings)

  useEffect(() => {
    void loadAgreement(runId)
    void loadSettings()
  }, [runId, loadAgreement, loadSettings])

  const running = job?.state === 'running'
  return (
    <section className="panel sc-agreement" aria-label="Judge agreement" data-testid="judge-agreement">
      <div className="sc-agreement-head">
        <h3>Jury and judge agreement</h3>
        <div className="sc-form-actions">
          {running ? (
            <button type="button" onClick={() => void cancelScoring(runId)}>
              Stop scoring
            </button>
          ) : null}
          <button
            type="button"
            onClick={() => void scoreRun(runId)}
            disabled={running || !settings}
            title="Compute every metric of the run's benchmarks and ask the jury; what is already stored is kept"
          >
            {running ? 'Scoring…' : 'Score run'}
          </button>
        </div>
      </div>
      <ErrorBanner message={error} onDismiss={dismiss} />
      <JudgesSettings />
      {job ? (
        <ProgressBar
          label={job.label}
          done={job.done}
          total={job.total}
          detail={
            job.state === 'running' ? undefined : job.state === 'done' ? (job.message ?? 'done') : 'failed'
          }
        />
      ) : null}
      <ScoringOutcome runId={runId} />
      {!agreement ? (
        <p className="muted" role="status">
          Loading…
        </p>
      ) : agreement.length === 0 ? (
        <EmptyState title="No jury in this run">
          None of this run&apos;s benchmarks is scored by the LLM jury; its metrics are on the run&apos;s
          results.
        </EmptyState>
      ) : (
        <AgreementTable rows={agreement} />
      )}
    </section>
  )
}

function JudgesSettings() {
  const settings = useScoring((s) => s.settings)
  const editing = useScoring((s) => s.editingSettings)
  const { openSettings } = useScoring.getState()
  if (!settings) return null
  const start = () => openSettings()

  if (!editing)
    return (
      <p className="sc-settings">
        Judges:{' '}
        {settings.judges.length ? (
          settings.judges.map((j) => (
            <code key={j} className="sc-judge-chip">
              {j}
            </code>
          ))
        ) : (
          <span className="muted">
            none chosen — pick {DEFAULT_JURY_SIZE} models as the jury before scoring.
          </span>
        )}
        {settings.judges.length > 0 && settings.judges.length < DEFAULT_JURY_SIZE ? (
          <span className="badge warn"> MedHELM uses {DEFAULT_JURY_SIZE} judges</span>
        ) : null}
        <span className="muted">
          {' '}
          · Embedding model: {settings.embeddingModel ?? 'not configured (the similarity metric is left out)'}
        </span>
        <span className="muted" data-testid="same-family-setting">
          {' '}
          · Same-family judges:{' '}
          {settings.excludeSameFamily
            ? 'left out of a model’s jury score (the mean of the other judges)'
            : 'counted'}
        </span>{' '}
        <button type="button" className="link" onClick={start}>
          Change
        </button>
      </p>
    )
  return <JurySettingsForm settings={settings} />
}

/** The jury settings as a form: judges and the embedding model picked from the known models. */
function JurySettingsForm({ settings }: { settings: ScoringSettings }) {
  const { saveSettings, closeSettings } = useScoring.getState()
  const [judges, setJudges] = useState<string[]>(settings.judges)
  const [embedding, setEmbedding] = useState(settings.embeddingModel ?? '')
  const [exclude, setExclude] = useState(settings.excludeSameFamily)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const ok = await saveSettings({
      judges,
      embeddingModel: embedding === '' ? null : embedding,
      excludeSameFamily: exclude,
    })
    if (ok) closeSettings()
  }
  return (
    <form
      className="sc-settings-form"
      id="jury-settings-form"
      aria-label="Jury settings"
      onSubmit={(e) => void submit(e)}
    >
      <JudgePicker value={judges} onChange={setJudges} />
      <ModelKeySelect
        label="Embedding model (optional)"
        value={embedding}
        onChange={setEmbedding}
        none="None (similarity recorded as not configured)"
        testId="embedding-model"
      />
      <label className="sc-check">
        <input type="checkbox" checked={exclude} onChange={(e) => setExclude(e.target.checked)} />
        Leave judges of an evaluated model&apos;s own family out of its jury scores (self-preference guard;
        their votes are kept for the bias report, and each score says who was left out)
      </label>
      <div className="sc-form-actions">
        <button type="submit">Save</button>
        <button type="button" className="link" onClick={closeSettings}>
          Cancel
        </button>
      </div>
    </form>
  )
}

/** A share as a small bar: how much of the votes failed. */
function ShareBar({ share, label }: { share: number | null; label: string }) {
  if (share === null) return <span className="muted">—</span>
  return (
    <span className="sc-share" aria-label={`${label}: ${formatShare(share)}`}>
      <span className="sc-share-track" aria-hidden="true">
        <span className="sc-share-fill" style={{ width: `${Math.min(100, share * 100)}%` }} />
      </span>
      {formatShare(share)}
    </span>
  )
}

function AgreementTable({ rows }: { rows: BenchmarkAgreement[] }) {
  return (
    <>
      <div className="we-table-wrap">
        <table className="sc-agreement-table">
          <thead>
            <tr>
              <th scope="col">Benchmark</th>
              <th scope="col" title={STATISTIC_EXPLANATIONS.judgeSpread}>
                Judge spread
              </th>
              <th scope="col" title={STATISTIC_EXPLANATIONS.meanAbsDiff}>
                Mean |diff|
              </th>
              <th scope="col" title={STATISTIC_EXPLANATIONS.exactAgreement}>
                Exact agreement
              </th>
              <th scope="col" title={STATISTIC_EXPLANATIONS.failedVotes}>
                Failed votes
              </th>
              <th scope="col">Scored</th>
              <th scope="col">Unscored</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.benchmarkId}>
                <th scope="row">
                  {r.benchmarkName}
                  <div className="muted sc-small">
                    {r.agreement.judges.map((j) => (
                      <span key={j.judge} className="sc-judge-line">
                        {j.judge}: mean {formatScore(j.meanScore)}, {j.failed}/{j.votes} failed
                      </span>
                    ))}
                  </div>
                </th>
                <td className="sc-num">{formatScore(r.agreement.meanRange)}</td>
                <td className="sc-num">{formatScore(r.agreement.meanAbsDiff)}</td>
                <td className="sc-num">{formatShare(r.agreement.exactAgreement)}</td>
                <td>
                  <ShareBar share={r.agreement.failedShare} label="Failed votes" />
                  <div className="muted sc-small">
                    {r.agreement.failed} of {r.agreement.votes}
                  </div>
                </td>
                <td className="sc-num">{r.scored}</td>
                <td className="sc-num">
                  {r.unscored > 0 ? (
                    <span className="badge sc-unscored">{r.unscored} unscored</span>
                  ) : (
                    <span className="muted">0</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FigureNotes
        kinds={['judgeSpread', 'meanAbsDiff', 'exactAgreement', 'failedVotes']}
        label="What the jury agreement figures mean"
        testId="jury-figure-notes"
      />
    </>
  )
}
