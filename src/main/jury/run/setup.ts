import type { AppContext } from '../../app/context'
import { AppError } from '../../errors'
import { chatClientFor } from '../../models/clients'
import { modelFamilies } from '../../models/family'
import type { ChatClient } from '../../models/types'
import type { RunBenchmark } from '../../runs/store'
import { embeddingModel, type EmbeddingModel } from './embed'
import { runBenchmarks } from './report'
import { readScoringSettings } from './settings'

/**
 * What a scoring pass works with, resolved before anything is sent: the run's benchmarks, the
 * judges and the embedding model (only when a benchmark needs them), the same-family guard, and
 * the warnings the pass reports.
 */

export type Ctx = Pick<AppContext, 'db' | 'env' | 'events' | 'nativeBinding'>

export interface Judge {
  key: string
  client: ChatClient
  model: string
  digest: string | null
}

export interface PassSetup {
  benchmarks: RunBenchmark[]
  judgeKeys: string[]
  judges: Judge[]
  embedding: EmbeddingModel | null
  excludeSameFamily: boolean
  sameFamily: Map<string, { family: string; judges: string[] }>
  warnings: string[]
}

export interface SetupOptions {
  judges?: readonly string[]
  embeddingModel?: string | null
  excludeSameFamily?: boolean
}

/** Per evaluated model, the judges of its own family (only models that have some). */
function sameFamilyJudges(
  ctx: Ctx,
  judgeKeys: readonly string[],
  evaluated: ReadonlySet<string>,
): Map<string, { family: string; judges: string[] }> {
  const families = modelFamilies(ctx.db, [...judgeKeys, ...evaluated])
  const out = new Map<string, { family: string; judges: string[] }>()
  for (const model of evaluated) {
    const family = families.get(model)!.family
    const judges = judgeKeys.filter((j) => families.get(j)!.family === family)
    if (judges.length > 0) out.set(model, { family, judges: [...judges].sort() })
  }
  return out
}

function sameFamilyWarnings(
  sameFamily: ReadonlyMap<string, { family: string; judges: string[] }>,
  exclude: boolean,
): string[] {
  return [...sameFamily].map(([model, { family, judges }]) =>
    exclude
      ? `Judges ${judges.join(', ')} are of the ${family} family, as ${model}: they are left out of its jury scores (jury settings: exclude same-family judges).`
      : `Judges ${judges.join(', ')} are of the ${family} family, as ${model}, and may favour it; the jury settings can leave them out of its scores.`,
  )
}

function checkJudges(juryBenchmarks: RunBenchmark[], judgeKeys: string[], warnings: string[]): void {
  if (juryBenchmarks.length > 0 && judgeKeys.length === 0)
    throw new AppError(
      'invalid_input',
      `judges: ${juryBenchmarks.map((b) => b.benchmarkId).join(', ')} ${juryBenchmarks.length === 1 ? 'is' : 'are'} scored by the LLM jury but no judge is set; pass --judges <endpoint>/<model>[,…] or choose judges in the scoring settings`,
    )
  if (new Set(judgeKeys).size !== judgeKeys.length)
    throw new AppError('invalid_input', 'judges: a judge is listed twice')
  if (juryBenchmarks.length > 0 && judgeKeys.length < 3)
    warnings.push(`MedHELM's jury has 3 judges; this pass uses ${judgeKeys.length}.`)
}

export function passSetup(ctx: Ctx, runId: number, options: SetupOptions): PassSetup {
  const { db } = ctx
  const benchmarks = runBenchmarks(db, runId)
  const settings = readScoringSettings(ctx)
  const judgeKeys = [...(options.judges ?? settings.judges)]
  const embeddingKey = options.embeddingModel !== undefined ? options.embeddingModel : settings.embeddingModel
  const warnings: string[] = []
  const juryBenchmarks = benchmarks.filter((b) => b.manifest.metrics.some((m) => m.name === 'jury'))
  checkJudges(juryBenchmarks, judgeKeys, warnings)
  // Judges and the embedding model are resolved only when a benchmark of the run needs them.
  const judges: Judge[] = (juryBenchmarks.length > 0 ? judgeKeys : []).map((key) => {
    const { client, model, digest } = chatClientFor(ctx, key)
    return { key, client, model, digest }
  })
  const evaluated = new Set(
    (
      db.prepare('SELECT model_key FROM run_models WHERE run_id = ?').all(runId) as { model_key: string }[]
    ).map((r) => r.model_key),
  )
  for (const j of judges)
    if (evaluated.has(j.key))
      warnings.push(`Judge ${j.key} is also a model under evaluation in this run: it judges its own answers.`)
  const excludeSameFamily = options.excludeSameFamily ?? settings.excludeSameFamily
  const sameFamily = sameFamilyJudges(ctx, juryBenchmarks.length > 0 ? judgeKeys : [], evaluated)
  warnings.push(...sameFamilyWarnings(sameFamily, excludeSameFamily))
  const needsEmbedding = benchmarks.some((b) => b.manifest.metrics.some((m) => m.name === 'bertscore'))
  const embedding = embeddingKey && needsEmbedding ? embeddingModel(ctx, embeddingKey) : null
  if (needsEmbedding && !embedding)
    warnings.push(
      'No embedding model is configured: the similarity metric (bertscore) is recorded as unavailable.',
    )
  return { benchmarks, judgeKeys, judges, embedding, excludeSameFamily, sameFamily, warnings }
}
