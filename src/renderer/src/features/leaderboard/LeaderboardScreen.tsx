import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'

export function LeaderboardScreen() {
  return (
    <>
      <PageHeader
        title="Leaderboard"
        subtitle="Mean win rate and macro-average across benchmarks, with cost."
      />
      <EmptyState title="Nothing to compare yet">
        <p>The leaderboard fills in once a run has been scored. Start a run from the Runs section.</p>
      </EmptyState>
    </>
  )
}
