import type { Leaderboard } from '../../../../shared/api/leaderboard'

/**
 * Says, above the ranking, when the models were not compared on the same instances: in the
 * paired view which models lost how many instances to the common set, per benchmark; in the
 * unpaired view which benchmarks have models on different instance sets.
 */
export function PairingBanner({ data }: { data: Leaderboard }) {
  const mixed = data.columns.filter((c) => c.pairing.mixed)
  if (mixed.length === 0) return null
  const unpaired = data.statistics.view === 'unpaired'
  return (
    <div className="lb-pairing-banner" role="note" data-testid="lb-pairing-banner">
      <strong>
        {unpaired
          ? `Unpaired: on ${mixed.length} benchmark${mixed.length === 1 ? '' : 's'} the models answered different instances.`
          : `Paired on common instances only: on ${mixed.length} benchmark${mixed.length === 1 ? '' : 's'} some models had instances the others lack, left out of the comparison (${data.statistics.droppedInstances.toLocaleString()} in all).`}
      </strong>
      <ul>
        {mixed.map((c) => {
          const dropped = c.pairing.dropped.filter((d) => d.dropped > 0)
          return (
            <li key={c.key}>
              {c.benchmarkName}
              {c.pairing.common !== null
                ? ` — compared on ${c.pairing.common.toLocaleString()} common instance${c.pairing.common === 1 ? '' : 's'}`
                : ''}
              {dropped.length > 0
                ? `; ${unpaired ? 'not shared by all' : 'left out'}: ${dropped
                    .map((d) => `${d.modelKey} ${d.dropped.toLocaleString()}`)
                    .join(', ')}`
                : ''}
            </li>
          )
        })}
      </ul>
      <span className="muted">
        {unpaired
          ? 'Differences may come from the questions, not the models. The paired view compares like with like.'
          : 'Complete the missing runs or scoring to compare every model on every instance.'}
      </span>
    </div>
  )
}
