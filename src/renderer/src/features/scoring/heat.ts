/** Colour of a 1–5 jury score on the heat map: red (1) through amber to green (5). */
export function heatColor(score: number): string {
  const t = Math.min(1, Math.max(0, (score - 1) / 4))
  return `hsl(${Math.round(t * 130)}, 65%, 82%)`
}

export function formatScore(x: number | null, digits = 2): string {
  return x === null ? '—' : x.toFixed(digits)
}

export function formatShare(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)}%`
}

const REASONS: Record<string, string> = {
  all_votes_failed: 'every judge vote failed',
  no_votes: 'no judge has voted',
  empty_response: 'the model gave an empty response',
  all_judges_same_family:
    'every judge is of the model’s own family, and the jury settings leave same-family judges out',
}

export function unscoredReason(reason: string | null): string {
  return reason ? (REASONS[reason] ?? reason.replace(/_/g, ' ')) : 'no valid vote'
}
