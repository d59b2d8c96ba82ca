import { hash } from 'node:crypto'
import type { RunSettings } from '../../shared/api/runs'
import type { PromptSpec } from '../../shared/benchmarks/pack'
import { canonicalJson } from '../benchmarks/normalize'
import type { GenerationOptions } from '../models/types'

/** The generation settings a request is sent with: the benchmark's prompt spec, then the run's overrides. */
export interface EffectiveGeneration {
  temperature: number
  maxTokens: number
  stop: string[]
  numCtx: number | null
}

export function effectiveGeneration(
  spec: Pick<PromptSpec, 'temperature' | 'maxTokens' | 'stop'>,
  settings: Pick<RunSettings, 'generation'>,
): EffectiveGeneration {
  const g = settings.generation
  return {
    temperature: g.temperature ?? spec.temperature,
    maxTokens: g.maxTokens ?? spec.maxTokens,
    stop: [...spec.stop],
    numCtx: g.numCtx ?? null,
  }
}

export function generationOptions(g: EffectiveGeneration): GenerationOptions {
  return {
    temperature: g.temperature,
    numPredict: g.maxTokens,
    ...(g.stop.length > 0 ? { stop: g.stop } : {}),
    ...(g.numCtx !== null ? { numCtx: g.numCtx } : {}),
  }
}

/**
 * The response-cache key: sha256 of (model digest, full prompt, generation settings). Without a
 * digest the model cannot be identified across time, so the key names the model instead and the
 * engine neither reads nor writes the cache for it.
 */
export function cacheKey(
  model: { digest: string | null; key: string },
  prompt: string,
  g: EffectiveGeneration,
): string {
  return cacheKeyOf(cacheKeyPrefix(model, g), prompt)
}

/**
 * canonicalJson({ v: 1, model, prompt, generation }) written out, keys sorted, up to the prompt:
 * the same for every request of one model and benchmark (computed once per lane), so a key costs
 * one serialisation of the prompt and one hash.
 */
export function cacheKeyPrefix(
  model: { digest: string | null; key: string },
  g: EffectiveGeneration,
): string {
  const identity = model.digest !== null ? `digest:${model.digest}` : `unverified:${model.key}`
  return `{"generation":${canonicalJson(g)},"model":${JSON.stringify(identity)},"prompt":`
}

export function cacheKeyOf(prefix: string, prompt: string): string {
  return hash('sha256', `${prefix}${JSON.stringify(prompt)},"v":1}`, 'hex')
}

/**
 * The cache-key prefixes of one pass over many requests: one per model and settings `scope` (a
 * benchmark version's generation settings, the jury's), computed the first time it is asked for.
 */
export class CacheKeyPrefixes {
  private readonly prefixes = new Map<string, string>()

  of(model: { digest: string | null; key: string }, g: EffectiveGeneration, scope: string | number): string {
    const id = `${model.key}\u0000${model.digest ?? ''}\u0000${scope}`
    let prefix = this.prefixes.get(id)
    if (prefix === undefined) {
      prefix = cacheKeyPrefix(model, g)
      this.prefixes.set(id, prefix)
    }
    return prefix
  }
}
