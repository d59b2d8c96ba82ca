import { useState } from 'react'
import type { ReviewSetSummary } from '../../../../shared/api/review'
import { EmptyState } from '../../components/EmptyState'
import { useNav } from '../../stores/nav'
import { ExportPacketDialog } from './ExportPacketDialog'
import { NewSetForm } from './NewSetForm'
import { PacketsPanel } from './PacketsPanel'
import { useReview } from './store'

/** The review sets with the current reviewer's progress, and the form for a new one. */
export function ReviewSets() {
  const sets = useReview((s) => s.sets)
  const candidates = useReview((s) => s.candidates)
  const reviewer = useReview((s) => s.reviewer)
  const { openSet, showAgreement, showUnblinded } = useReview.getState()
  const go = useNav((s) => s.go)
  const [exporting, setExporting] = useState<ReviewSetSummary | null>(null)

  return (
    <>
      {sets.length === 0 ? (
        <EmptyState title="No review set yet" testId="review-empty">
          {candidates.length > 0 ? (
            <p>Create one below from a run of an open-ended benchmark; then rate its outputs one by one.</p>
          ) : (
            <p>
              A review set is sampled from a run&apos;s outputs on an open-ended benchmark (one with jury
              criteria). Start such a run in Runs, let it finish and score it with the jury; then come back
              here.
            </p>
          )}
        </EmptyState>
      ) : (
        <section className="panel" aria-labelledby="rv-sets-h">
          <h2 id="rv-sets-h">Review sets</h2>
          <div className="we-table-wrap">
            <table data-testid="review-sets">
              <thead>
                <tr>
                  <th scope="col">Set</th>
                  <th scope="col">Benchmark</th>
                  <th scope="col">Run</th>
                  <th scope="col">Outputs</th>
                  <th scope="col">Your progress</th>
                  <th scope="col">Reviewers</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sets.map((s) => {
                  const mine = s.progress.find((p) => p.reviewerId === reviewer?.id)?.rated ?? 0
                  const done = mine === s.size
                  return (
                    <tr key={s.id}>
                      <th scope="row">{s.id}</th>
                      <td>
                        {s.benchmarkName}
                        <div className="muted small">{s.criteria.map((c) => c.name).join(' · ')}</div>
                      </td>
                      <td>
                        Run {s.runId}
                        {s.runName ? ` — ${s.runName}` : ''}
                      </td>
                      <td>{s.size}</td>
                      <td>
                        {mine} / {s.size}
                        {done ? <span className="badge ok"> done</span> : null}
                      </td>
                      <td>{s.progress.length}</td>
                      <td className="rv-actions">
                        <button type="button" className="primary" onClick={() => void openSet(s.id)}>
                          {done ? 'Review again' : mine > 0 ? 'Resume rating' : 'Start rating'}
                        </button>
                        <button type="button" onClick={() => void showAgreement(s.id)}>
                          Agreement
                        </button>
                        <button
                          type="button"
                          onClick={() => void showUnblinded(s.id)}
                          disabled={!done}
                          title={
                            done
                              ? 'Each output with its model, and the jury’s scores next to yours'
                              : 'Available once you have rated every output of the set'
                          }
                        >
                          Compare with jury
                        </button>
                        <button type="button" onClick={() => setExporting(s)}>
                          Export packet…
                        </button>
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {exporting ? <ExportPacketDialog set={exporting} onClose={() => setExporting(null)} /> : null}
      <PacketsPanel />
      {candidates.length > 0 ? (
        <NewSetForm />
      ) : (
        <p className="muted">
          <button type="button" className="link" onClick={() => go('runs')}>
            Go to Runs
          </button>{' '}
          to run models on an open-ended benchmark.
        </p>
      )}
    </>
  )
}
