import { useEffect, useState } from 'react'
import {
  excludedJudgesText as exclusionText,
  type InstanceScores as InstanceScoresData,
  type JuryVote,
} from '../../../../shared/api/jury'
import { EMBEDDING_NOT_CONFIGURED } from '../../../../shared/api/runs'
import { ErrorBanner } from '../../components/ErrorBanner'
import { formatScore, heatColor, unscoredReason } from './heat'
import { useScoring } from './store'
import './scoring.css'

/**
 * One run item's scores: each judge × criterion vote as a heat-map cell (failed votes marked,
 * their raw answer one click away) with the explanations, next to the metric scores. An
 * unscored item says so and why — it never shows a number it does not have.
 */
export function InstanceScores({ runItemId }: { runItemId: number }) {
  const data = useScoring((s) => s.items[runItemId])
  const error = useScoring((s) => s.itemErrors[runItemId] ?? null)
  const loadItem = useScoring((s) => s.loadItem)

  useEffect(() => {
    void loadItem(runItemId)
  }, [runItemId, loadItem])

  if (error) return <ErrorBanner message={error} />
  if (!data)
    return (
      <p className="muted" role="status">
        Loading scores…
      </p>
    )
  return <InstanceScoresView data={data} />
}

/** The view itself, from the data of `jury:instance-scores`. */
export function InstanceScoresView({ data }: { data: InstanceScoresData }) {
  return (
    <section className="sc-instance" aria-label="Scores of this instance" data-testid="instance-scores">
      <JurySummary data={data} />
      <div className="sc-side-by-side">
        <div className="sc-jury">{data.jury.state === 'no_jury' ? null : <JuryGrid data={data} />}</div>
        <MetricTable data={data} />
      </div>
    </section>
  )
}

function JurySummary({ data }: { data: InstanceScoresData }) {
  const j = data.jury
  switch (j.state) {
    case 'scored':
      return (
        <p className="sc-summary" data-testid="jury-summary">
          <span className="sc-big">{formatScore(j.mean)}</span> / 5 jury score
          <span className="muted">
            {' '}
            · normalized {formatScore(j.normalized, 3)} · {j.validVotes} valid vote
            {j.validVotes === 1 ? '' : 's'}
            {j.failedVotes > 0 ? `, ${j.failedVotes} failed` : ''}
            {exclusionText(data.metrics.find((m) => m.metric === 'jury')?.details)
              ? ` · mean of the remaining judges, ${exclusionText(data.metrics.find((m) => m.metric === 'jury')?.details)}`
              : ''}
          </span>
        </p>
      )
    case 'unscored':
      return (
        <p className="sc-summary" data-testid="jury-summary">
          <span className="badge sc-unscored">Unscored</span> {unscoredReason(j.reason)}
          {j.failedVotes > 0 ? <span className="muted"> · {j.failedVotes} failed votes</span> : null}
          <span className="muted"> — counted as unscored, not as 0 or 1.</span>
        </p>
      )
    case 'not_scored_yet':
      return (
        <p className="sc-summary muted" data-testid="jury-summary">
          The jury has not scored this response yet. Score the run (Runs → Score, or{' '}
          <code>score {data.runId}</code> in the CLI) to ask the judges.
        </p>
      )
    case 'no_jury':
      return (
        <p className="sc-summary muted" data-testid="jury-summary">
          {data.benchmarkId} is scored by its metrics only; it has no jury.
        </p>
      )
  }
}

function cellLabel(v: JuryVote | undefined, criterion: string): string {
  if (!v) return `${criterion}: no vote`
  return v.status === 'valid' ? `${criterion}: ${v.score} of 5` : `${criterion}: vote failed`
}

function JuryGrid({ data }: { data: InstanceScoresData }) {
  const [selected, setSelected] = useState<{ judge: string; criterion: string } | null>(null)
  const vote = (judge: string, criterion: string) =>
    data.votes.find((v) => v.judge === judge && v.criterion === criterion)
  if (data.judges.length === 0)
    return (
      <p className="muted">
        No judge has voted on this response
        {data.jury.state === 'unscored' && data.jury.reason === 'empty_response'
          ? ' (its text is empty).'
          : '.'}
      </p>
    )
  const chosen = selected ? vote(selected.judge, selected.criterion) : undefined
  return (
    <>
      <table className="sc-grid" aria-label="Judge scores by criterion (1 to 5)">
        <thead>
          <tr>
            <th scope="col">Judge</th>
            {data.criteria.map((c) => (
              <th scope="col" key={c.id} title={c.description}>
                {c.name}
              </th>
            ))}
            <th scope="col">Mean</th>
          </tr>
        </thead>
        <tbody>
          {data.judges.map((judge) => {
            const valid = data.votes.filter(
              (v) => v.judge === judge && v.status === 'valid' && v.score !== null,
            )
            const mean = valid.length
              ? valid.reduce((a, v) => a + (v.score as number), 0) / valid.length
              : null
            return (
              <tr key={judge}>
                <th scope="row" className="sc-judge">
                  {judge}
                </th>
                {data.criteria.map((c) => {
                  const v = vote(judge, c.id)
                  const isSelected = selected?.judge === judge && selected.criterion === c.id
                  return (
                    <td key={c.id}>
                      <button
                        type="button"
                        className={`sc-cell${v?.status === 'failed' ? ' sc-failed' : ''}${v ? '' : ' sc-missing'}`}
                        style={
                          v?.status === 'valid' && v.score !== null
                            ? { background: heatColor(v.score) }
                            : undefined
                        }
                        aria-pressed={isSelected}
                        aria-label={`${judge}, ${cellLabel(v, c.name)}. Show the explanation.`}
                        title={v?.explanation ?? undefined}
                        onClick={() => setSelected(isSelected ? null : { judge, criterion: c.id })}
                      >
                        {!v ? '—' : v.status === 'valid' ? v.score : 'failed'}
                      </button>
                    </td>
                  )
                })}
                <td className="sc-mean">{formatScore(mean)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {chosen && selected ? (
        <VoteDetail
          vote={chosen}
          criterion={data.criteria.find((c) => c.id === selected.criterion)?.name ?? selected.criterion}
        />
      ) : null}
      <Explanations data={data} />
    </>
  )
}

function VoteDetail({ vote, criterion }: { vote: JuryVote; criterion: string }) {
  return (
    <div
      className={`sc-detail${vote.status === 'failed' ? ' sc-detail-failed' : ''}`}
      role="region"
      aria-label="Selected vote"
    >
      <h4>
        {vote.judge} · {criterion}: {vote.status === 'valid' ? `${vote.score} / 5` : 'vote failed'}
        <span className="muted">
          {' '}
          · {vote.attempts} attempt{vote.attempts === 1 ? '' : 's'}
        </span>
      </h4>
      <p>{vote.explanation ?? <span className="muted">No explanation.</span>}</p>
      {vote.status === 'failed' ? <RawText text={vote.rawText} open /> : null}
    </div>
  )
}

function RawText({ text, open = false }: { text: string | null; open?: boolean }) {
  return (
    <details className="sc-raw" open={open}>
      <summary>Raw answer of the judge</summary>
      {text === null ? (
        <p className="muted">No answer: every request failed (see the explanation).</p>
      ) : text === '' ? (
        <p className="muted">(empty answer)</p>
      ) : (
        <pre>{text}</pre>
      )}
    </details>
  )
}

/** Every judge's explanations, grouped by judge; a failed judge's raw answer shown once. */
function Explanations({ data }: { data: InstanceScoresData }) {
  return (
    <div className="sc-explanations">
      {data.judges.map((judge) => {
        const votes = data.criteria
          .map((c) => ({ c, v: data.votes.find((x) => x.judge === judge && x.criterion === c.id) }))
          .filter((x): x is { c: (typeof data.criteria)[number]; v: JuryVote } => x.v !== undefined)
        const failed = votes.find((x) => x.v.status === 'failed')
        return (
          <article key={judge} className="sc-judge-card" aria-label={`Explanations of ${judge}`}>
            <h4>{judge}</h4>
            <dl>
              {votes.map(({ c, v }) => (
                <div key={c.id} className={v.status === 'failed' ? 'sc-failed-text' : undefined}>
                  <dt>
                    {c.name}: {v.status === 'valid' ? `${v.score}/5` : 'failed'}
                  </dt>
                  <dd>{v.explanation ?? '—'}</dd>
                </div>
              ))}
            </dl>
            {failed ? <RawText text={failed.v.rawText} /> : null}
          </article>
        )
      })}
    </div>
  )
}

function metricDetail(details: Record<string, unknown>): string {
  const excluded = exclusionText(details)
  const main =
    typeof details.message === 'string'
      ? details.message
      : typeof details.reason === 'string'
        ? unscoredReason(details.reason)
        : typeof details.normalized === 'number'
          ? `normalized ${details.normalized.toFixed(3)}`
          : ''
  return [main, excluded].filter((s) => s !== '').join(' · ')
}

function MetricTable({ data }: { data: InstanceScoresData }) {
  return (
    <div className="sc-metrics">
      <table aria-label="Metric scores">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Score</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {data.metrics.length === 0 ? (
            <tr>
              <td colSpan={3} className="muted">
                No metric scored yet.
              </td>
            </tr>
          ) : (
            data.metrics.map((m) => (
              <tr key={m.metric}>
                <th scope="row">{m.metric}</th>
                <td className="sc-num">
                  {m.value === null ? '—' : m.value.toFixed(m.metric === 'jury' ? 2 : 3)}
                </td>
                <td>
                  {m.details.code === EMBEDDING_NOT_CONFIGURED ? (
                    <NotConfigured />
                  ) : (
                    <>
                      <span className={`badge sc-status-${m.status}`}>
                        {m.status === 'ok' ? 'scored' : m.status}
                      </span>
                      {metricDetail(m.details) ? (
                        <div className="muted sc-small">{metricDetail(m.details)}</div>
                      ) : null}
                    </>
                  )}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  )
}

/** The similarity metric without an embedding model: a setting not chosen, not a failure. */
function NotConfigured() {
  const openSettings = useScoring((s) => s.openSettings)
  return (
    <>
      <span className="badge" data-testid="embedding-not-configured">
        not configured
      </span>
      <div className="muted sc-small">
        No embedding model is set.{' '}
        <button type="button" className="link" onClick={() => openSettings('embedding')}>
          Choose an embedding model
        </button>
      </div>
    </>
  )
}
