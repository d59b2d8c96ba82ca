/**
 * PDF report rendering time for a big report: 20 models × 37 benchmarks (leaderboard, a
 * 37 × 20 interval table set on landscape column groups, 190 pairwise rows, scope tables with
 * hashes, a chart), median of N runs.
 *
 *   npx tsx bench/report-pdf.ts [runs=5]
 *
 * Goal (issue 14): the whole report of 20 models × 37 benchmarks builds in under 10 s; this is the
 * PDF renderer's share.
 */
import { performance } from 'node:perf_hooks'
import type { ReportDoc, ReportSection } from '../src/main/report/doc'
import { renderPdf } from '../src/main/report/pdf/render-pdf'
import {
  BENCHMARKS,
  MODEL_NAMES,
  SIMPLE_SVG,
  chartBlock,
  leaderboardTable,
  table,
} from '../tests/unit/report/pdf-fixture'

const RUNS = Number(process.argv[2] ?? 5)

function bigDoc(): ReportDoc {
  const pairs: Record<string, string>[] = []
  for (let a = 0; a < MODEL_NAMES.length; a++)
    for (let b = a + 1; b < MODEL_NAMES.length; b++)
      pairs.push({
        a: MODEL_NAMES[a]!,
        b: MODEL_NAMES[b]!,
        diff: `${((a - b) / 40).toFixed(3)} (${((a - b) / 40 - 0.05).toFixed(3)}–${((a - b) / 40 + 0.05).toFixed(3)})`,
        p: (0.001 * (a + b)).toFixed(4),
      })
  const sections: ReportSection[] = [
    {
      id: 'scope',
      title: 'Scope and reproducibility',
      blocks: [
        table(
          'Benchmarks',
          [
            ['b', 'Benchmark'],
            ['hash', 'Content hash'],
            ['n', 'n', 'right'],
          ],
          BENCHMARKS.map((b, i) => ({
            b,
            hash: `sha256:${'0123456789abcdef'.repeat(4).slice(i % 16)}`,
            n: String(100 + i),
          })),
        ),
      ],
    },
    {
      id: 'leaderboard',
      title: 'Leaderboard',
      blocks: [leaderboardTable(), leaderboardTable(MODEL_NAMES, BENCHMARKS.slice(0, 5))],
    },
    {
      id: 'leaderboard',
      title: 'Pairwise results',
      blocks: [
        table(
          'Every pair of models',
          [
            ['a', 'Model A'],
            ['b', 'Model B'],
            ['diff', 'Difference (95% CI)', 'right'],
            ['p', 'p (Holm)', 'right'],
          ],
          pairs,
        ),
      ],
    },
    { id: 'cost', title: 'Cost and performance', blocks: [chartBlock(SIMPLE_SVG)] },
  ]
  return {
    title: 'Bench report',
    subtitle: '20 models × 37 benchmarks',
    generatedAt: '2026-12-05T00:00:00Z',
    appVersion: '0.1.0',
    sections,
  }
}

async function main(): Promise<void> {
  const doc = bigDoc()
  const times: number[] = []
  let bytes = 0
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    bytes = (await renderPdf(doc)).length
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  const median = times[Math.floor(times.length / 2)]!
  console.log(
    `report-pdf: 20 models × 37 benchmarks, ${RUNS} runs: median ${median.toFixed(0)} ms, ` +
      `min ${times[0]!.toFixed(0)} ms, max ${times[times.length - 1]!.toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KiB`,
  )
}

void main()
