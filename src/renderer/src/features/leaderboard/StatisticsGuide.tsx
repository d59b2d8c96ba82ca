import type { Leaderboard } from '../../../../shared/api/leaderboard'
import { STATISTIC_EXPLANATIONS as E } from '../../../../shared/statistics-text'

/** One plain line per statistic on the screen, and how they were computed. */
export function StatisticsGuide({ data }: { data: Leaderboard }) {
  const st = data.statistics
  return (
    <section className="panel lb-guide" aria-labelledby="lb-guide-h" data-testid="lb-guide">
      <h2 id="lb-guide-h">Reading these numbers</h2>
      <ul>
        <li>{st.view === 'paired' ? E.paired : E.unpaired}</li>
        <li>{E.n}</li>
        <li>{E.ci}</li>
        <li>{E.winRate}</li>
        <li>{E.macro}</li>
        <li>{E.rank}</li>
        <li>{E.tieGroup}</li>
        <li>{E.pairwise}</li>
        <li>{E.adjusted}</li>
      </ul>
      <p className="muted lb-small">
        95% percentile bootstrap over instances ({st.resamples.toLocaleString()} resamples, seed {st.seed});
        exact McNemar for right/wrong scores, sign-flip permutation test ({st.permutations.toLocaleString()}{' '}
        flips) otherwise; p adjusted by {st.adjustName}.
      </p>
    </section>
  )
}
