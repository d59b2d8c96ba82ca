import { useState } from 'react'
import type { Leaderboard, PairwiseComparison } from '../../../../shared/api/leaderboard'
import { formatP, STATISTIC_EXPLANATIONS } from '../../../../shared/statistics-text'
import { formatCi } from './format'

/**
 * Who is significantly better than whom: for one benchmark or one category at a time, a models ×
 * models matrix (row minus column, with the adjusted p), and the plain sentence of every
 * significant pair.
 */
export function PairwiseMatrix({ data }: { data: Leaderboard }) {
  const scopes = scopeList(data)
  const [scopeKey, setScopeKey] = useState(scopes[0]?.key ?? '')
  const scope = scopes.find((s) => s.key === scopeKey) ?? scopes[0]
  if (!scope)
    return (
      <p className="muted">Pairwise comparisons need at least two models scored on the same benchmark.</p>
    )
  const pairs = data.pairwise.filter((p) => p.scope === scope.scope && p.id === scope.id)
  const models = data.rows
    .map((r) => r.modelKey)
    .filter((m) => pairs.some((p) => p.modelA === m || p.modelB === m))
  const find = (a: string, b: string) =>
    pairs.find((p) => (p.modelA === a && p.modelB === b) || (p.modelA === b && p.modelB === a))
  const sentences = data.pairwise.filter((p) => p.sentence)
  const column = scope.scope === 'benchmark' ? data.columns.find((c) => c.key === scope.id) : undefined
  const scale = column?.scale === '1-5' ? 'on the jury’s 1–5 scale' : 'on 0–1'
  return (
    <div>
      <label className="lb-inline">
        Compare on{' '}
        <select value={scope.key} onChange={(e) => setScopeKey(e.target.value)} data-testid="lb-pair-scope">
          {scopes.map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <div
        className="lb-table-wrap"
        tabIndex={0}
        role="region"
        aria-label="Pairwise comparisons (scrolls sideways)"
      >
        <table className="lb-pairs" data-testid="lb-pairs">
          <caption>
            Row model minus column model on {scope.label}: difference {scale} [95% interval],{' '}
            {pairs[0]?.testName ?? ''}; {pairs[0]?.adjustMethod ?? ''}-adjusted p. Bold: significant (adjusted
            p below 0.05).
          </caption>
          <thead>
            <tr>
              <td />
              {models.map((m) => (
                <th scope="col" key={m}>
                  {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {models.map((a) => (
              <tr key={a}>
                <th scope="row">{a}</th>
                {models.map((b) => (
                  <PairCell key={b} p={a === b ? undefined : find(a, b)} rowModel={a} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 className="lb-subhead">Significant differences</h3>
      {sentences.length === 0 ? (
        <p className="muted" data-testid="lb-no-significant">
          {data.statistics.view === 'unpaired'
            ? 'No tests in the unpaired view: switch to the paired view to test differences on the same instances.'
            : 'No pair of models differs significantly on this data: the gaps could be chance.'}
        </p>
      ) : (
        <ul className="lb-sentences" data-testid="lb-sentences">
          {sentences.map((p) => (
            <li key={`${p.scope}|${p.id}|${p.modelA}|${p.modelB}`}>{p.sentence}.</li>
          ))}
        </ul>
      )}
      <p className="muted lb-small">
        {STATISTIC_EXPLANATIONS.pairwise} {STATISTIC_EXPLANATIONS.adjusted}
      </p>
    </div>
  )
}

function PairCell({ p, rowModel }: { p: PairwiseComparison | undefined; rowModel: string }) {
  if (!p) return <td className="lb-pair-none">—</td>
  const sign = p.modelA === rowModel ? 1 : -1
  const d = sign * p.difference
  const ci = sign === 1 ? p.ci : { lo: -p.ci.hi, hi: -p.ci.lo }
  return (
    <td className={`lb-num${p.significant ? ' lb-strong lb-sig' : ''}`}>
      {d >= 0 ? '+' : '−'}
      {Math.abs(d).toFixed(2)} <span className="lb-small">{formatCi(ci)}</span>
      <div className="muted lb-small">{p.pAdjusted === null ? 'not tested' : formatP(p.pAdjusted)}</div>
    </td>
  )
}

function scopeList(data: Leaderboard) {
  const seen = new Map<string, { key: string; scope: 'benchmark' | 'category'; id: string; label: string }>()
  for (const p of data.pairwise) {
    const key = `${p.scope}|${p.id}`
    if (!seen.has(key))
      seen.set(key, {
        key,
        scope: p.scope,
        id: p.id,
        label: p.scope === 'category' ? `${p.name} (category)` : p.name,
      })
  }
  return [...seen.values()]
}
