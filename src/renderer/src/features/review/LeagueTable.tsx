import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import type { ScorerAgreement, ScorerLeague } from '../../../../shared/api/review'

/**
 * The scorer league: which automatic scorer agrees best with the clinicians, best first — ICC(3,k)
 * on z-scored composites with its 95 % CI and Koo & Li label, Spearman ρ and weighted κ — then one
 * plain-language verdict per scorer and the clinicians' own baseline.
 */

const f2 = (x: number) => x.toFixed(2)
const interval = (ci: readonly [number, number] | null) =>
  ci ? `${f2(ci[0])} to ${f2(ci[1])}` : 'no interval'

const col = createColumnHelper<ScorerAgreement & { rank: number | null }>()
const columns = [
  col.accessor('rank', { header: '#', cell: (c) => c.getValue() ?? '–' }),
  col.accessor('name', {
    header: 'Scorer',
    cell: (c) => (
      <>
        {c.getValue()}
        <div className="muted small">
          {c.row.original.kind === 'metric' ? 'text metric' : c.row.original.kind}
        </div>
      </>
    ),
  }),
  col.accessor('items', { header: 'Items' }),
  col.display({
    id: 'icc',
    header: 'ICC(3,k), 95% CI',
    cell: (c) => {
      const s = c.row.original
      if (!s.icc3k)
        return (
          <>
            <span className="badge">not computable</span>
            <div className="muted small">{s.reason}</div>
          </>
        )
      return (
        <>
          <span className="rv-icc">{f2(s.icc3k.value)}</span>{' '}
          <span className="muted small">{interval(s.icc3k.ci95)}</span>
        </>
      )
    },
  }),
  col.display({
    id: 'label',
    header: 'Koo & Li (on the CI)',
    cell: (c) => {
      const label = c.row.original.icc3k?.label
      return label ? <span className={`badge rv-band rv-band-${label.split(' ')[0]}`}>{label}</span> : '–'
    },
  }),
  col.display({
    id: 'rho',
    header: 'Spearman ρ, 95% CI',
    cell: (c) => {
      const r = c.row.original.spearman
      return r ? `${f2(r.rho)} (${interval(r.ci95)})` : '–'
    },
  }),
  col.display({
    id: 'kappa',
    header: 'Weighted κ, 95% CI',
    cell: (c) => {
      const s = c.row.original
      return s.kappa ? (
        `${f2(s.kappa.value)} (${interval(s.kappa.ci95)})`
      ) : (
        <span className="muted small">{s.kappaNote ?? '–'}</span>
      )
    },
  }),
]

export function LeagueTable({ league, testId }: { league: ScorerLeague; testId: string }) {
  let rank = 0
  const data = league.scorers.map((s) => ({ ...s, rank: s.status === 'ok' ? ++rank : null }))
  // TanStack Table returns fresh functions each render; React Compiler skips this component by design.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel() })
  if (league.scorers.length === 0)
    return (
      <p className="muted" data-testid={`${testId}-empty`}>
        No automatic scorer has scored these outputs yet. Score the run with the jury (and ROUGE-L, BLEU or
        embedding similarity) in Runs, then come back.
      </p>
    )
  return (
    <div data-testid={testId}>
      <div className="we-table-wrap">
        <table aria-label="Automatic scorers ranked by agreement with the clinicians">
          <thead>
            {table.getHeaderGroups().map((g) => (
              <tr key={g.id}>
                {g.headers.map((h) => (
                  <th key={h.id} scope="col">
                    {flexRender(h.column.columnDef.header, h.getContext())}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} data-testid={`league-row-${row.original.scorer}`}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>What this means</h3>
      <ul className="rv-verdicts" data-testid={`${testId}-verdicts`}>
        {league.scorers.map((s) => (
          <li key={s.scorer}>{s.verdict}</li>
        ))}
        <li data-testid={`${testId}-baseline`}>
          {league.baseline.status === 'ok'
            ? `Clinicians among themselves — ${league.baseline.verdict}`
            : league.baseline.verdict}
        </li>
      </ul>
      <p className="muted small">
        Koo &amp; Li (2016): an ICC below 0.5 is poor, 0.5–0.75 moderate, 0.75–0.9 good, above 0.9 excellent;
        the label covers the whole 95% interval, so &ldquo;moderate to good&rdquo; means the data cannot tell
        which.
        {` ${league.ratedItems} outputs rated by a clinician on every criterion; κ on scores rounded to 1–5, bootstrap seed ${league.seed}.`}
      </p>
    </div>
  )
}
