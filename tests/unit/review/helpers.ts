import type { AppContext } from '../../../src/main/app/context'
import { scoreRun } from '../../../src/main/jury/run/score-run'
import { startNewRun } from '../../../src/main/runs/control'
import type { PackInstanceInput } from '../../../src/shared/benchmarks/pack'
import { startFakeOllama, type FakeChatRequest, type FakeOllama } from '../../support/fake-ollama'
import { caseOf, isJudgePrompt, openManifest, promptBlock, verdict } from '../jury-run/helpers'
import { importPack } from '../runs/helpers'

/**
 * A run of two models on an open-ended benchmark, scored by a jury of three judges, all served by
 * the loopback fake server. A model's answer names its case and a variant word (never the model),
 * so each judge can score (case, variant) deterministically — `juryScore` decides how.
 */

export const RUN_MODELS = ['model-a:1b', 'model-b:1b'] as const
export const RUN_MODEL_KEYS = RUN_MODELS.map((m) => `ollama/${m}`)
export const JUDGES = ['judge-x', 'judge-y', 'judge-z'] as const
export const JUDGE_KEYS = JUDGES.map((j) => `ollama/${j}`)
export const VARIANTS = ['calm', 'brisk'] as const
export const BENCHMARK = 'patient_msgs'
export const CRITERIA = ['accuracy', 'completeness', 'clarity'] as const

export type JuryScore = (c: number, variant: number, judge: number, criterion: number) => number

/** Judges disagree a little; scores vary with case and variant. */
export const defaultJuryScore: JuryScore = (c, v, j, k) => 1 + ((c * 3 + v * 2 + j + k) % 5)

export function answerOf(model: string, c: number): string {
  const v = RUN_MODELS.indexOf(model as (typeof RUN_MODELS)[number])
  return `Case ${c}: a reply in a (${VARIANTS[v] ?? 'plain'} tone): rest and drink fluids.`
}

export function scriptFor(juryScore: JuryScore) {
  return (req: FakeChatRequest): string => {
    const first = req.messages[0]?.content ?? ''
    if (!isJudgePrompt(req)) return answerOf(req.model, caseOf(first))
    const response = promptBlock(first, 'response') ?? ''
    const c = caseOf(response)
    const v = VARIANTS.findIndex((w) => response.includes(`(${w} tone)`))
    const j = JUDGES.indexOf(req.model as (typeof JUDGES)[number])
    return verdict(juryScore(c, v, j, 0), juryScore(c, v, j, 1), juryScore(c, v, j, 2))
  }
}

export function startFake(juryScore: JuryScore = defaultJuryScore): Promise<FakeOllama> {
  return startFakeOllama({
    models: [...RUN_MODELS, ...JUDGES].map((name) => ({ name })),
    answer: scriptFor(juryScore),
  })
}

export function cases(n: number): PackInstanceInput[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `msg-${i}`,
    input: `Case ${i}: a patient writes about symptom ${i}.`,
    references: [`Case ${i} reference: rest and drink fluids.`],
  }))
}

/** Imports the benchmark, runs both models on `n` cases and scores the run with the jury. */
export async function scoredRun(ctx: AppContext, dir: string, n: number): Promise<number> {
  const manifest = openManifest(BENCHMARK, [{ name: 'jury', main: true }])
  await importPack(ctx, dir, manifest, cases(n))
  const { runId, execution } = await startNewRun(ctx, {
    benchmarks: [BENCHMARK],
    models: [...RUN_MODEL_KEYS],
  })
  const status = await execution.done
  if (status !== 'completed') throw new Error(`the run ended ${status}`)
  await scoreRun(ctx, runId, { judges: [...JUDGE_KEYS], embeddingModel: null })
  return runId
}
