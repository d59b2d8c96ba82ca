import { useEffect } from 'react'
import { useScoring } from './store'

/**
 * Why the run's last scoring pass failed (judge, endpoint, the server's answer — recorded with the
 * pass), and the run's failed votes counted by judge and reason: read on the Runs screen, not in
 * an audit row's detail.
 */
export function ScoringOutcome({ runId }: { runId: number }) {
  const data = useScoring((s) => s.passes[runId])
  const job = useScoring((s) => s.jobs[runId])
  const loadPasses = useScoring((s) => s.loadPasses)
  useEffect(() => {
    void loadPasses(runId)
  }, [runId, loadPasses])
  if (!data) return null
  const last = data.passes[0]
  const running = job?.state === 'running'
  const failedVotes = data.failedVotes.reduce((a, f) => a + f.votes, 0)
  return (
    <div className="sc-outcome" data-testid="scoring-outcome">
      {!running && last && last.state === 'failed' ? (
        <div className="sc-outcome-failed" role="alert">
          <strong>Scoring failed:</strong> {last.message ?? 'no reason was recorded'}
          <div className="muted sc-small">
            Pass {last.id} with {last.judges.length ? last.judges.join(', ') : 'no judge'}, started{' '}
            {new Date(last.startedAt).toLocaleString()}. Fix the judge (Change, above) or the endpoint, then
            score again: what was scored is kept.
          </div>
        </div>
      ) : null}
      {!running && last && last.state === 'cancelled' ? (
        <p className="muted" role="status">
          The last scoring pass was stopped; what was scored is kept. Score again to continue.
        </p>
      ) : null}
      {!running && last && last.state === 'running' && !job ? (
        <p className="muted" role="status">
          Scoring pass {last.id} started {new Date(last.startedAt).toLocaleString()} has not finished: it runs
          in another WardEval process, or that process stopped. Score again to continue.
        </p>
      ) : null}
      {data.failedVotes.length > 0 ? (
        <details open={last?.state === 'failed'}>
          <summary>
            {failedVotes.toLocaleString()} failed vote{failedVotes === 1 ? '' : 's'} by reason
          </summary>
          <div className="we-table-wrap">
            <table className="sc-failed-votes">
              <caption className="sr-only">Failed votes by judge and reason</caption>
              <thead>
                <tr>
                  <th scope="col">Judge</th>
                  <th scope="col">Votes</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {data.failedVotes.map((f) => (
                  <tr key={`${f.judge}|${f.reason}`}>
                    <td>{f.judge}</td>
                    <td className="sc-num">{f.votes.toLocaleString()}</td>
                    <td>{f.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </div>
  )
}
