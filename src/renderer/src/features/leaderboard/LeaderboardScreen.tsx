import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'
import { useNav } from '../../stores/nav'

export function LeaderboardScreen() {
  const go = useNav((s) => s.go)
  return (
    <>
      <PageHeader
        title="Leaderboard"
        subtitle="Mean win rate and macro-average across benchmarks, with cost."
      />
      <EmptyState
        title="The cross-benchmark leaderboard is not built yet"
        action={
          <button type="button" className="primary" onClick={() => go('runs')}>
            Open Runs
          </button>
        }
      >
        <p>
          Until it is, each run shows its main metric per benchmark and model, and the jury’s scores and
          agreement: open a run in Runs, or use <code>npm run -s cli -- run show &lt;id&gt;</code> and{' '}
          <code>npm run -s cli -- score &lt;id&gt;</code>.
        </p>
      </EmptyState>
    </>
  )
}
