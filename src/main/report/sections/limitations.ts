import type { ReportSection } from '../doc'
import { judgesOf, type ReportInputs } from '../inputs'
import { listText, plural } from './format'

/** Below this many instances a benchmark score is called small-n. */
export const SMALL_N = 30

/** One limitation found in the data: a short title for the summary, a sentence for the section. */
export interface Limitation {
  kind: 'small_n' | 'partial' | 'unpaired' | 'uncalibrated' | 'self_family' | 'wide'
  title: string
  detail: string
}

function smallN(x: ReportInputs): Limitation[] {
  const small = x.leaderboard.cells.filter((c) => c.value !== null && c.n < SMALL_N)
  if (small.length === 0) return []
  const cols = new Set(small.map((c) => c.columnKey))
  const names = x.leaderboard.columns.filter((c) => cols.has(c.key)).map((c) => c.benchmarkName)
  return [
    {
      kind: 'small_n',
      title: `Small samples: ${plural(small.length, 'score')} rest on fewer than ${SMALL_N} instances`,
      detail: `Scores on ${listText([...new Set(names)].slice(0, 8))}${names.length > 8 ? ' and others' : ''} rest on fewer than ${SMALL_N} instances: their intervals are wide and a ranking on them can change with more data.`,
    },
  ]
}

function partial(x: ReportInputs): Limitation[] {
  const cells = x.leaderboard.cells.filter((c) => c.partial)
  if (cells.length === 0) return []
  const missing = cells.reduce((s, c) => s + c.counts.total - c.counts.scored, 0)
  return [
    {
      kind: 'partial',
      title: `Partial results: ${plural(cells.length, 'model × benchmark cell')} miss scores`,
      detail: `${plural(missing, 'instance')} in ${plural(cells.length, 'cell')} have no score (unscored by the jury, failed, or not scored yet); those scores are means over fewer instances than were run, never counted as zero.`,
    },
  ]
}

function unpaired(x: ReportInputs): Limitation[] {
  const lb = x.leaderboard
  if (lb.statistics.view === 'unpaired')
    return [
      {
        kind: 'unpaired',
        title: 'Unpaired view: models were compared on their own instances',
        detail:
          'The leaderboard was computed unpaired: models may have answered different instances, so differences can come from the questions; no significance tests were made.',
      },
    ]
  const mixed = lb.columns.filter((c) => c.pairing.mixed)
  if (mixed.length === 0) return []
  return [
    {
      kind: 'unpaired',
      title: `Unpaired columns: ${plural(mixed.length, 'benchmark')} had different instances per model`,
      detail: `On ${listText(mixed.map((c) => c.benchmarkName).slice(0, 8))} the models did not all answer the same instances; ${plural(lb.statistics.droppedInstances, 'instance')} were left out so every model is compared on the same ones.`,
    },
  ]
}

function uncalibrated(x: ReportInputs): Limitation[] {
  const juryColumns = x.leaderboard.columns.filter((c) => c.metric === 'jury')
  if (juryColumns.length === 0) return []
  const reviewed = new Set(x.reviews.flatMap((r) => (r.counts.rated > 0 ? [r.setId] : [])))
  if (reviewed.size > 0 && x.leaderboard.calibration) return []
  return [
    {
      kind: 'uncalibrated',
      title:
        reviewed.size === 0
          ? 'Uncalibrated jury: no clinician has rated these outputs'
          : 'Jury not calibrated: clinician ratings exist but no calibration is applied',
      detail:
        reviewed.size === 0
          ? `${plural(juryColumns.length, 'benchmark')} scored by the LLM jury have no clinician ratings in this report: how far the jury agrees with clinicians on them is unknown.`
          : 'Jury scores are shown raw; their agreement with the clinicians is in the clinician-agreement section.',
    },
  ]
}

function selfFamily(x: ReportInputs): Limitation[] {
  const evaluated = x.leaderboard.rows.map((r) => r.modelKey)
  const pairs: string[] = []
  for (const judge of judgesOf(x)) {
    const fam = x.families.get(judge)?.family
    const same = evaluated.filter((m) => m === judge || (fam && x.families.get(m)?.family === fam))
    if (same.length > 0) pairs.push(`${judge} (judges ${listText(same)})`)
  }
  if (pairs.length === 0) return []
  return [
    {
      kind: 'self_family',
      title: `Judges scoring their own model family: ${plural(pairs.length, 'judge')}`,
      detail: `A judge may favour answers of its own family: ${listText(pairs)}. Compare with clinician ratings, or exclude same-family judges (jury settings).`,
    },
  ]
}

function wide(x: ReportInputs): Limitation[] {
  const w = x.leaderboard.cells.filter((c) => c.wide)
  if (w.length === 0) return []
  return [
    {
      kind: 'wide',
      title: `Wide intervals: ${plural(w.length, 'score')} have a 95% interval wider than 0.2`,
      detail: `${plural(w.length, 'score')} are too uncertain to tell models apart on their benchmark.`,
    },
  ]
}

/** The limitations found in the data, most basic first. */
export function findLimitations(x: ReportInputs): Limitation[] {
  return [...smallN(x), ...wide(x), ...partial(x), ...unpaired(x), ...uncalibrated(x), ...selfFamily(x)]
}

export function limitationsSection(x: ReportInputs): ReportSection {
  const found = findLimitations(x)
  const notes = x.leaderboard.notes
  return {
    id: 'limitations',
    title: 'Limitations',
    blocks: [
      {
        kind: 'paragraph',
        text: 'Generated from the data of this report: what makes its figures less certain than they look.',
      },
      found.length === 0
        ? { kind: 'paragraph', text: 'No limitation of these kinds was found in the data.' }
        : { kind: 'list', items: found.map((l) => `${l.title}. ${l.detail}`) },
      ...(notes.length > 0
        ? [
            { kind: 'heading' as const, text: 'Notes from the leaderboard' },
            { kind: 'list' as const, items: notes },
          ]
        : []),
    ],
  }
}
