import { useEffect, useState } from 'react'
import type { PowerResult } from '../../../../shared/api/leaderboard'
import { STATISTIC_EXPLANATIONS } from '../../../../shared/statistics-text'
import { api, errorMessage } from '../../lib/api'

/**
 * Next to the instance limit: the smallest difference in accuracy two models can be told apart by
 * with this many instances per benchmark (McNemar, 80% power, α = 0.05; discordance from earlier
 * runs when there are enough, else the least optimistic assumption).
 */
export function PowerHint({ n }: { n: number | null }) {
  const [answer, setAnswer] = useState<{
    n: number
    result: PowerResult | null
    error: string | null
  } | null>(null)
  useEffect(() => {
    if (n === null || !Number.isInteger(n) || n < 1) return
    let live = true
    api
      .invoke('leaderboard:power', { n })
      .then((result) => live && setAnswer({ n, result, error: null }))
      .catch((e: unknown) => live && setAnswer({ n, result: null, error: errorMessage(e) }))
    return () => {
      live = false
    }
  }, [n])
  if (n === null || answer === null || answer.n !== n) return null
  const r = answer.result
  return (
    <p
      className="muted run-power-hint"
      data-testid="run-power-hint"
      aria-live="polite"
      title={STATISTIC_EXPLANATIONS.power}
    >
      {answer.error ??
        (r
          ? `${r.sentence}${r.discordanceSource === 'earlier runs' ? ' Based on how often models disagreed in earlier runs.' : ''} ${STATISTIC_EXPLANATIONS.power}`
          : '')}
    </p>
  )
}
