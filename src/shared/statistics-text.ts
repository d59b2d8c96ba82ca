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
    'Mean win rate: the share of other models this model beats, averaged over benchmarks (0 = always worst, 1 = always best).',
  macro:
    'Macro-average: the plain average of the benchmark scores on a 0–1 scale, each benchmark counting the same.',
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
