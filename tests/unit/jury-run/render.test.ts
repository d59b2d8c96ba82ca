import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { InstanceScoresView } from '../../../src/renderer/src/features/scoring/InstanceScores'
import type { InstanceScores as Data, JuryVote } from '../../../src/shared/api/jury'

const criteria = [
  { id: 'accuracy', name: 'Accuracy', description: 'correct?' },
  { id: 'completeness', name: 'Completeness', description: 'complete?' },
]
const vote = (
  judge: string,
  criterion: string,
  score: number | null,
  extra: Partial<JuryVote> = {},
): JuryVote => ({
  judge,
  judgeDigest: null,
  criterion,
  score,
  explanation:
    score === null
      ? 'No usable answer after 3 attempts: the score of "accuracy" is 6, outside 1–5'
      : `${criterion} is ${score}`,
  status: score === null ? 'failed' : 'valid',
  rawText: score === null ? '{"accuracy": {"score": 6}}' : null,
  attempts: score === null ? 3 : 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...extra,
})

function data(over: Partial<Data>): Data {
  return {
    runItemId: 7,
    runId: 1,
    benchmarkId: 'patient_qa',
    instanceId: 'case-0',
    modelKey: 'ollama/llama3.2:3b',
    itemStatus: 'done',
    criteria,
    judges: ['ollama/a', 'ollama/b'],
    votes: [
      vote('ollama/a', 'accuracy', 4),
      vote('ollama/a', 'completeness', 5),
      vote('ollama/b', 'accuracy', null),
      vote('ollama/b', 'completeness', null),
    ],
    metrics: [
      { metric: 'jury', value: 4.5, status: 'ok', details: { normalized: 0.875 } },
      { metric: 'rouge_l', value: 0.4321, status: 'ok', details: {} },
      {
        metric: 'bertscore',
        value: null,
        status: 'unscored',
        details: { code: 'embedding_not_configured', message: 'no embedding model is chosen' },
      },
    ],
    jury: { state: 'scored', mean: 4.5, normalized: 0.875, validVotes: 2, failedVotes: 2, reason: null },
    ...over,
  }
}

const render = (d: Data) => renderToStaticMarkup(createElement(InstanceScoresView, { data: d }))

describe('InstanceScores', () => {
  it('shows the judge × criterion grid with failed votes and their raw text next to the metric scores', () => {
    const html = render(data({}))
    expect(html).toContain('4.50</span> / 5 jury score')
    expect(html).toContain('normalized 0.875')
    // Heat-map cells: valid scores coloured, failed votes marked and labelled.
    expect(html).toMatch(
      /aria-label="ollama\/a, Accuracy: 4 of 5\. Show the explanation\."[^>]*style="background:hsl\(98, 65%, 82%\)"|style="background:hsl\(98, 65%, 82%\)"[^>]*aria-label="ollama\/a, Accuracy: 4 of 5/,
    )
    expect(html).toContain('aria-label="ollama/b, Accuracy: vote failed. Show the explanation."')
    expect(html).toContain('>failed</button>')
    // Explanations and the failed judge's raw answer.
    expect(html).toContain('accuracy is 4')
    expect(html).toContain('outside 1–5')
    expect(html).toContain('<pre>{&quot;accuracy&quot;: {&quot;score&quot;: 6}}</pre>')
    // Metric scores side by side.
    expect(html).toContain('<th scope="row">rouge_l</th><td class="sc-num">0.432</td>')
    // No embedding model: a setting not chosen, shown neutrally with a way to choose one.
    expect(html).toContain('not configured')
    expect(html).toContain('Choose an embedding model')
    expect(html).not.toContain('--embedding-model')
  })

  it('an embedding model that failed is a failure, not "not configured"', () => {
    const html = render(
      data({
        metrics: [
          {
            metric: 'bertscore',
            value: null,
            status: 'failed',
            details: { code: 'embedding_failed', message: 'emb: HTTP 500 from the server', retryable: true },
          },
        ],
      }),
    )
    expect(html).not.toContain('not configured')
    expect(html).toContain('sc-status-failed')
    expect(html).toContain('HTTP 500')
  })

  it('says clearly when an instance is unscored, or not scored yet, and never shows a number for it', () => {
    const unscored = render(
      data({
        judges: [],
        votes: [],
        metrics: [{ metric: 'jury', value: null, status: 'unscored', details: { reason: 'empty_response' } }],
        jury: {
          state: 'unscored',
          mean: null,
          normalized: null,
          validVotes: 0,
          failedVotes: 0,
          reason: 'empty_response',
        },
      }),
    )
    expect(unscored).toContain('Unscored</span> the model gave an empty response')
    expect(unscored).toContain('not as 0 or 1')
    expect(unscored).not.toMatch(/jury score/)
    const pending = render(
      data({
        judges: [],
        votes: [],
        metrics: [],
        jury: {
          state: 'not_scored_yet',
          mean: null,
          normalized: null,
          validVotes: 0,
          failedVotes: 0,
          reason: null,
        },
      }),
    )
    expect(pending).toContain('has not scored this response yet')
    expect(pending).toContain('<code>score 1</code>')
  })
})
