import type { ReportBlock, ReportSection } from '../doc'
import { judgesOf, type ReportInputs } from '../inputs'
import { listText, num, pct } from './format'

function benchmarkTable(x: ReportInputs): ReportBlock {
  return {
    kind: 'table',
    caption: 'Jury reliability per benchmark',
    columns: [
      { key: 'benchmark', label: 'Benchmark' },
      { key: 'run', label: 'Run', align: 'right' },
      { key: 'votes', label: 'Votes', align: 'right' },
      { key: 'failed', label: 'Failed votes', align: 'right' },
      { key: 'unscored', label: 'Unscored instances', align: 'right' },
      { key: 'range', label: 'Mean judge spread (0–4)', align: 'right' },
      { key: 'exact', label: 'Exact agreement', align: 'right' },
    ],
    rows: x.juryAgreement.flatMap((r) =>
      r.benchmarks.map((b) => ({
        benchmark: b.benchmarkName,
        run: String(r.runId),
        votes: String(b.agreement.votes),
        failed: `${b.agreement.failed} (${pct(b.agreement.failedShare)})`,
        unscored: `${b.unscored} of ${b.unscored + b.scored}`,
        range: num(b.agreement.meanRange),
        exact: pct(b.agreement.exactAgreement),
      })),
    ),
    note: 'Judge spread: per instance the gap between the highest and the lowest judge (1–5 scale), averaged; 0 means the judges agree. Unscored instances have no valid vote and are left out of the means, never scored as a default.',
  }
}

function judgesTable(x: ReportInputs): ReportBlock {
  const evaluated = new Set(x.leaderboard.rows.map((r) => r.modelKey))
  const stats = new Map<string, { votes: number; failed: number }>()
  for (const r of x.juryAgreement)
    for (const b of r.benchmarks)
      for (const j of b.agreement.judges) {
        const s = stats.get(j.judge) ?? { votes: 0, failed: 0 }
        stats.set(j.judge, { votes: s.votes + j.votes, failed: s.failed + j.failed })
      }
  return {
    kind: 'table',
    caption: 'Judges',
    columns: [
      { key: 'judge', label: 'Judge' },
      { key: 'votes', label: 'Votes', align: 'right' },
      { key: 'failed', label: 'Failed', align: 'right' },
      { key: 'evaluated', label: 'Also evaluated' },
      { key: 'family', label: 'Family; evaluated models of it' },
    ],
    rows: judgesOf(x).map((judge) => {
      const s = stats.get(judge)!
      const fam = x.families.get(judge)?.family ?? ''
      const same = [...evaluated].filter((m) => m !== judge && fam && x.families.get(m)?.family === fam)
      return {
        judge,
        votes: String(s.votes),
        failed: String(s.failed),
        evaluated: evaluated.has(judge) ? 'yes: it scores its own answers' : 'no',
        family: `${fam || '—'}${same.length ? `; ${same.join(', ')}` : ''}`,
      }
    }),
  }
}

export function jurySection(x: ReportInputs): ReportSection {
  const judges = judgesOf(x)
  if (judges.length === 0)
    return {
      id: 'jury',
      title: 'Jury reliability',
      blocks: [
        {
          kind: 'paragraph',
          text: 'No LLM jury scored these runs: every benchmark here is scored by an automatic metric.',
        },
      ],
    }
  const evaluated = new Set(x.leaderboard.rows.map((r) => r.modelKey))
  const self = judges.filter((j) => evaluated.has(j))
  return {
    id: 'jury',
    title: 'Jury reliability',
    blocks: [
      {
        kind: 'paragraph',
        text: `Open answers were scored by a jury of ${judges.length} local LLM judges (${listText(judges)}), each rating accuracy, completeness and clarity on 1–5. ${self.length ? `${listText(self)} ${self.length === 1 ? 'is' : 'are'} also evaluated in this report.` : 'No judge is also evaluated here.'}`,
      },
      benchmarkTable(x),
      judgesTable(x),
    ],
  }
}
