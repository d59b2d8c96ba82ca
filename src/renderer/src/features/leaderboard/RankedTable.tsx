import type { CostAmount, Leaderboard } from '../../../../shared/api/leaderboard'
import { costBrief, costReason, costText } from '../../../../shared/api/leaderboard'
import { formatDurations, STATISTIC_EXPLANATIONS } from '../../../../shared/statistics-text'
import { FigureNotes } from '../../components/FigureNotes'
import { formatCi, formatMacro, formatRate } from './format'

/**
 * One line of the cost cell: a known amount as a number; an unknown one briefly, its reason on
 * hover and to screen readers (the notes under the table say it once for all rows).
 */
function CostLine({ label, amount }: { label: string; amount: CostAmount }) {
  const full = costText(amount)
  const brief = costBrief(amount)
  return (
    <div className={amount.usd === null ? 'lb-unknown' : 'lb-num'} title={brief === full ? undefined : full}>
      <span className="muted lb-small">{label} </span>
      {brief}
      {brief === full ? null : <span className="sr-only"> ({costReason(amount)})</span>}
    </div>
  )
}

/** Models ranked by mean win rate, with macro-average, per-category scores, runtime and cost. */
export function RankedTable({ data }: { data: Leaderboard }) {
  const cats = data.categories.filter(
    (c) => c.columns > 0 && (data.categoryId === null || c.id === data.categoryId),
  )
  const showCats = data.categoryId === null
  const subs = showCats
    ? []
    : [...new Map(data.columns.map((c) => [c.subcategoryId ?? 'unplaced', c.subcategoryName])).entries()]
  // One format for the whole column: distinct runtimes read distinctly (ms below 1 s).
  const runtimes = formatDurations(data.rows.map((r) => r.runtime.meanMs))
  return (
    <>
      <div className="lb-table-wrap" tabIndex={0} role="region" aria-label="Ranking (scrolls sideways)">
        <table className="lb-ranked" data-testid="lb-ranked">
          <caption className="sr-only">Models ranked by mean win rate</caption>
          <thead>
            <tr>
              <th scope="col" title={STATISTIC_EXPLANATIONS.rank}>
                Rank (interval)
              </th>
              <th scope="col">Model</th>
              <th scope="col" title={STATISTIC_EXPLANATIONS.winRate}>
                Mean win rate
              </th>
              <th scope="col" title={STATISTIC_EXPLANATIONS.macro}>
                Macro-average
              </th>
              {showCats
                ? cats.map((c) => (
                    <th scope="col" key={c.id} title={`Macro-average and win rate over ${c.name} benchmarks`}>
                      {c.name}
                    </th>
                  ))
                : subs.map(([id, name]) => (
                    <th scope="col" key={id}>
                      {name}
                    </th>
                  ))}
              <th scope="col" title={STATISTIC_EXPLANATIONS.runtime}>
                Runtime
              </th>
              <th
                scope="col"
                title="Model: its answers at the model's price; jury: the judges' verdicts at each judge's price; from actual tokens"
              >
                Cost (model, jury)
              </th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r, ri) => (
              <tr key={r.modelKey} data-testid={`lb-row-${r.modelKey}`}>
                <td className="lb-num">
                  {r.rank}
                  <div className="muted lb-small">
                    <span className="sr-only">rank interval </span>
                    <span data-testid="lb-rank-interval">
                      {r.rankInterval.lo === r.rankInterval.hi
                        ? r.rankInterval.lo
                        : `${r.rankInterval.lo}–${r.rankInterval.hi}`}
                    </span>
                  </div>
                </td>
                <th scope="row" className="lb-model">
                  {r.modelKey}
                  {r.notSeparableFrom.length > 0 ? (
                    <div className="lb-small lb-tie" data-testid="lb-tie">
                      group {r.tieGroup}: not separable on this data from {r.notSeparableFrom.join(', ')}
                    </div>
                  ) : null}
                  {r.scoredBenchmarks < data.columns.length ? (
                    <div className="muted lb-small">
                      scored on {r.scoredBenchmarks} of {data.columns.length} benchmarks
                    </div>
                  ) : null}
                </th>
                <td className="lb-num">
                  <span className="lb-strong" data-testid="lb-winrate">
                    {formatRate(r.winRate)}
                  </span>
                  <div className="muted lb-small" data-testid="lb-winrate-ci">
                    {formatCi(r.winRateCi)}
                  </div>
                </td>
                <td className="lb-num">
                  {formatMacro(r.macro)}
                  <div className="muted lb-small">{formatCi(r.macroCi)}</div>
                </td>
                {(showCats ? cats.map((c) => c.id) : subs.map(([id]) => id)).map((id) => {
                  const g = (showCats ? r.categories : r.subcategories).find((x) => x.id === id)
                  return (
                    <td className="lb-num" key={id}>
                      {g?.macro.mean == null ? '—' : g.macro.mean.toFixed(3)}
                      {g?.macroCi ? <div className="muted lb-small">{formatCi(g.macroCi)}</div> : null}
                      {g && g.winRate !== null ? (
                        <div className="muted lb-small">win {g.winRate.toFixed(2)}</div>
                      ) : null}
                    </td>
                  )
                })}
                <td className="lb-num" data-testid="lb-runtime">
                  {runtimes[ri]}
                  {r.runtime.winRate !== null ? (
                    <div className="muted lb-small">win {r.runtime.winRate.toFixed(2)}</div>
                  ) : null}
                </td>
                <td className="lb-cost">
                  <CostLine label="model" amount={r.cost.model} />
                  <CostLine label="jury" amount={r.cost.jury} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FigureNotes
        kinds={['winRate', 'ci', 'rank', 'macro', 'runtime']}
        label="What the ranking's figures mean"
        testId="lb-figure-notes"
      />
    </>
  )
}
