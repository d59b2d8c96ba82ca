/**
 * How statistics are written, and what each one means in one plain line, for the CLI and the
 * screen alike (a clinician on the governance committee should understand every figure shown).
 */

export const fmt = (x: number, digits = 2) => x.toFixed(digits)

export function formatSigned(x: number, digits = 2): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`
}

export function formatInterval(ci: { lo: number; hi: number }, digits = 2): string {
  return `[${ci.lo.toFixed(digits)}, ${ci.hi.toFixed(digits)}]`
}

/** "p = 0.003", "p < 0.001". */
export function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001'
  return `p = ${p < 0.01 ? p.toFixed(4) : p.toFixed(3)}`
}

/** One line per statistic, shown next to it on screen and printed by the CLI. */
export const STATISTIC_EXPLANATIONS = {
  paired:
    'Paired: on each benchmark every model is scored on the same instances, so differences come from the models, not from easier or harder questions.',
  unpaired:
    'Unpaired view: each model on its own instances. Models may have seen different questions, so differences can be due to the questions; no significance tests are made.',
  n: 'n: how many instances the score is the average of. Fewer instances mean a less certain score.',
  ci: '95% interval: the range the score would likely fall in if the benchmark were repeated with other instances like these. Wide intervals (over 0.2) mean too few instances to tell models apart.',
  winRate:
    'Mean win rate: the share of head-to-head comparisons this model wins, averaged over benchmarks (0 = always worst, 0.5 = middle of the field, 1 = always best).',
  macro:
    'Macro-average: the plain average of the benchmark scores on a 0–1 scale, each benchmark counting the same; ± is how much the scores vary between benchmarks (standard deviation).',
  runtime:
    'Runtime: the mean time a model took per answer, averaged over benchmarks. Its win rate is the share of head-to-head comparisons, benchmark by benchmark, in which the model answered faster (1 = always fastest).',
  judgeSpread:
    'Judge spread: how far apart the judges of the jury are on the same answer — the highest minus the lowest judge score, averaged over answers (0 = the judges agree, up to 4 on the 1–5 scale; above 1 the jury is split).',
  meanAbsDiff: 'Mean |diff|: how many points two judges differ on the same answer, on average (1–5 scale).',
  exactAgreement:
    'Exact agreement: the share of answers and criteria on which every judge gave the same score.',
  failedVotes:
    'Failed votes: judge answers that could not be read as a score; they count as missing, never as a default score.',
  icc: 'ICC (intraclass correlation): how closely two sets of scores rise and fall together over the same answers — 1 = in perfect step, 0 = unrelated. Judged by Koo & Li on its whole 95% interval: below 0.5 poor, 0.5–0.75 moderate, 0.75–0.9 good, above 0.9 excellent.',
  iccBaseline:
    'Clinician–clinician baseline: the same ICC between clinicians. A jury close to this figure agrees with clinicians about as well as clinicians agree with each other.',
  spearman: "Spearman's ρ: whether the scorer orders the answers as the clinicians do (1 = same order).",
  kappa:
    'Weighted κ: agreement on the exact 1–5 score beyond chance, counting near misses as partly right (1 = identical, 0 = chance).',
  rank: 'Rank interval: the ranks this model takes in 95% of re-samplings of the instances. Overlapping intervals mean the order is not settled.',
  tieGroup:
    'Not separable on this data: models in the same group could swap places if other instances were used.',
  pairwise:
    'Pairwise test: whether one model really scores higher than another on the same instances, or the gap could be chance.',
  adjusted:
    'Adjusted p: the p-value corrected for making many comparisons at once; below 0.05 counts as a real difference.',
  power:
    'Power: how many instances are needed to notice a difference of a given size 8 times out of 10, if it truly exists.',
} as const

/** The line a figure kind is shown with: its term, then what it means (the term is the text up to the first colon). */
export function explanationParts(key: keyof typeof STATISTIC_EXPLANATIONS): { term: string; text: string } {
  const line = STATISTIC_EXPLANATIONS[key]
  const i = line.indexOf(': ')
  return i < 0 ? { term: '', text: line } : { term: line.slice(0, i), text: line.slice(i + 2) }
}

const ICC_ADVICE = {
  scorer: {
    poor: 'the scores do not follow the clinicians; do not rely on them here.',
    moderate: 'the scores roughly follow the clinicians; check them by hand before relying on them.',
    good: 'the scores follow the clinicians closely.',
    excellent: 'the scores follow the clinicians almost exactly.',
  },
  clinicians: {
    poor: 'the clinicians disagree among themselves; a scorer cannot be expected to do better here.',
    moderate: 'the clinicians only partly agree among themselves.',
    good: 'the clinicians agree closely among themselves.',
    excellent: 'the clinicians agree almost perfectly among themselves.',
  },
} as const

/**
 * A plain verdict on an ICC (a scorer against the clinicians, or the clinicians among themselves)
 * from its Koo & Li label ("moderate to good", "poor (estimate only, no
 * interval)"): the advice follows the lower end of the interval, since the agreement may be that low.
 */
export function iccVerdict(label: string, between: keyof typeof ICC_ADVICE = 'scorer'): string {
  const advice = ICC_ADVICE[between]
  const bands = Object.keys(advice) as (keyof typeof advice)[]
  const lower = bands.find((b) => label.startsWith(b))
  if (!lower) return `Agreement: ${label}.`
  const estimateOnly = label.includes('estimate only')
  const range = label.replace(/ \(estimate only, no interval\)$/, '')
  const head = `${range.charAt(0).toUpperCase()}${range.slice(1)} agreement`
  const tail = estimateOnly ? ' (from the estimate alone: too few answers for an interval)' : ''
  return `${head}${tail}: ${advice[lower]}`
}

/**
 * Runtimes written so that different values read differently: milliseconds below 1 s ("158 ms"),
 * seconds above ("2.41 s"), with the fewest decimals (0 to 3 more) that keep every distinct value
 * of the column distinct — three models at 158.2, 158.4 and 158.9 ms no longer all read "0.16 s".
 * `unit: 's'` writes plain seconds without the unit (a table column headed "runtime (s)").
 */
export function formatDurations(ms: readonly (number | null)[], unit: 'auto' | 's' = 'auto'): string[] {
  const known = [...new Set(ms.filter((x): x is number => x !== null && Number.isFinite(x)))]
  for (let extra = 0; ; extra++) {
    const text = (x: number) => (unit === 's' ? (x / 1000).toFixed(2 + extra) : formatDuration(x, extra))
    if (extra === 3 || new Set(known.map(text)).size === known.length)
      return ms.map((x) => (x === null || !Number.isFinite(x) ? '—' : text(x)))
  }
}

/** One runtime: "158 ms", "2.41 s"; `extraDigits` more decimals when values must be told apart. */
export function formatDuration(ms: number, extraDigits = 0): string {
  if (Math.abs(Number(ms.toFixed(extraDigits))) < 1000) return `${ms.toFixed(extraDigits)} ms`
  return `${(ms / 1000).toFixed(2 + extraDigits)} s`
}
