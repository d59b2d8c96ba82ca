import type { ChartBlock, ReportBlock, ReportDoc, ReportSection } from '../../../src/main/report/doc'

/**
 * A report document with every block kind, sized like a real one: 20 models (long names), a
 * 37-benchmark leaderboard with intervals, a 200-row table, non-ASCII text throughout.
 */
export const MODEL_NAMES = Array.from({ length: 20 }, (_, i) =>
  i % 3 === 0 ? `llama3.1:${8 + i}b-instruct-q4_K_M` : i % 3 === 1 ? `qwen2.5-${i}b` : `mistral-nemo-${i}`,
)

export const BENCHMARKS = Array.from(
  { length: 37 },
  (_, i) =>
    `Benchmark ${i + 1} — ${['MedCalc-Bench', 'MTSamples Replicate', 'HeadQA', 'PubMedQA', 'EHRSHOT'][i % 5]}`,
)

function interval(seed: number): string {
  const p = 0.5 + ((seed * 37) % 45) / 100
  const lo = Math.max(0, p - 0.06)
  const hi = Math.min(1, p + 0.06)
  return `${p.toFixed(2)} (${lo.toFixed(2)}–${hi.toFixed(2)})`
}

export function leaderboardTable(models = MODEL_NAMES, benchmarks = BENCHMARKS) {
  return {
    kind: 'table' as const,
    caption: `Mean score per benchmark (95% CI), ${models.length} models × ${benchmarks.length} benchmarks`,
    columns: [
      { key: 'benchmark', label: 'Benchmark' },
      ...models.map((m, i) => ({ key: `m${i}`, label: m, align: 'right' as const })),
    ],
    rows: benchmarks.map((b, r) => ({
      benchmark: b,
      ...Object.fromEntries(models.map((_, i) => [`m${i}`, interval(r * 20 + i)])),
    })),
    note: 'Intervals: paired percentile bootstrap, 2,000 resamples, seed 42. Δ ≥ 0.05 is marked.',
  }
}

/** A table block from [key, label, align?] column triples. */
export function table(
  caption: string,
  columns: [string, string, ('left' | 'right')?][],
  rows: Record<string, string>[],
): ReportBlock {
  return {
    kind: 'table',
    caption,
    columns: columns.map(([key, label, align]) => ({ key, label, align })),
    rows,
  }
}

export function chartBlock(svg: string, width = 600, height = 320): ChartBlock {
  return {
    kind: 'chart',
    title: 'Cost against mean win rate',
    caption: 'Each dot is a model; up and to the left is better. Cost per 1,000 answers, USD.',
    alt: `Scatter of ${MODEL_NAMES.length} models: ${MODEL_NAMES.map((m, i) => `${m} ${interval(i)}`).join('; ')}`,
    svg,
    width,
    height,
  }
}

export const SIMPLE_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="320"><rect x="40" y="20" width="520" height="260" fill="none" stroke="#888"/><circle cx="200" cy="150" r="6" fill="#0b6e79"/><text x="300" y="305" text-anchor="middle">Cost (USD) → ψ κ</text></svg>'

export function fixtureDoc(svg: string = SIMPLE_SVG): ReportDoc {
  const sections: ReportSection[] = [
    {
      id: 'summary',
      title: 'Summary for decision makers',
      blocks: [
        {
          kind: 'paragraph',
          text: 'Best models per category, with the models whose intervals overlap theirs (tie groups). Differences of −0.03 or less are within noise; κ ≥ 0.61 is “substantial”.',
        },
        {
          kind: 'callout',
          tone: 'info',
          text: 'Scores are mean win rates: 0.71 (0.65–0.77) means 71% of pairwise comparisons won, 95% interval 65% to 77%.',
        },
        {
          kind: 'callout',
          tone: 'warning',
          text: 'Two judges belong to the family of an evaluated model (ψ-bias possible); n ≤ 30 in 4 benchmarks → wide intervals…',
        },
        {
          kind: 'list',
          items: MODEL_NAMES.slice(0, 5).map((m, i) => `${m}: ${interval(i)} — rank 1–${i + 2}`),
        },
        { kind: 'heading', text: 'Significant differences' },
        {
          kind: 'paragraph',
          text: 'Holm-adjusted McNemar tests; δ = difference in accuracy, ρ = Spearman correlation, × marks a significant pair.',
        },
      ],
    },
    {
      id: 'scope',
      title: 'Scope and reproducibility',
      blocks: [
        {
          kind: 'keyValues',
          rows: [
            { label: 'App version', value: '0.1.0' },
            { label: 'Seed', value: '42' },
            {
              label: 'Audit chain head',
              value: 'sha256:9f2c4e1a7b3d5f6e8a0c2d4f6b8e0a1c3e5f7a9b1d3f5e7a9c1e3f5a7b9d1f3e5',
            },
            {
              label: 'Settings',
              value: 'temperature 0, max tokens 1,024, 3 judges (ICC(2,1) ≥ 0.75 required)',
            },
          ],
        },
        table(
          'Models',
          [
            ['model', 'Model'],
            ['digest', 'Digest'],
            ['endpoint', 'Endpoint'],
          ],
          MODEL_NAMES.map((m, i) => ({
            model: m,
            digest: `sha256:${(i * 7919).toString(16).padStart(8, '0')}a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8`,
            endpoint: i % 2 ? 'http://127.0.0.1:11434 (local Ollama)' : 'https://gpu-02.hospital.internal/v1',
          })),
        ),
      ],
    },
    {
      id: 'leaderboard',
      title: 'Leaderboard',
      blocks: [
        { kind: 'paragraph', text: 'Mean win rate with 95% confidence interval and rank interval.' },
        table(
          'Leaderboard',
          [
            ['rank', 'Rank', 'right'],
            ['model', 'Model'],
            ['win', 'Mean win rate (95% CI)', 'right'],
            ['ranks', 'Rank interval', 'right'],
          ],
          MODEL_NAMES.map((m, i) => ({
            rank: String(i + 1),
            model: m,
            win: interval(i),
            ranks: `${i + 1}–${i + 3}`,
          })),
        ),
        leaderboardTable(),
      ],
    },
    {
      id: 'cost',
      title: 'Cost and performance',
      blocks: [
        chartBlock(svg),
        { kind: 'paragraph', text: 'Local models are priced at GPU-hour × measured generation time.' },
      ],
    },
    {
      id: 'examples',
      title: 'Per-instance results',
      blocks: [
        table(
          'Per-instance results (200 rows)',
          [
            ['id', 'Instance', 'left'],
            ['model', 'Model'],
            ['score', 'Score', 'right'],
            ['comment', 'Jury comment'],
          ],
          Array.from({ length: 200 }, (_, i) => ({
            id: `inst-${String(i + 1).padStart(4, '0')}`,
            model: MODEL_NAMES[i % 20]!,
            score: (((i * 13) % 100) / 100).toFixed(2),
            comment:
              i % 17 === 0
                ? 'The answer is complete and clear but misses the dosage adjustment for eGFR < 30 mL/min; the judges disagreed (κ = 0.41).'
                : 'ok',
          })),
        ),
      ],
    },
  ]
  return {
    title: 'WardEval evaluation report — Internal medicine pilot',
    subtitle: 'Runs 1, 2 · category: Clinical decision support',
    generatedAt: '2026-12-05T02:30:00.000Z',
    appVersion: '0.1.0',
    sections,
  }
}
