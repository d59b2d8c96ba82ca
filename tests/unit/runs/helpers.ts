import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppContext } from '../../../src/main/app/context'
import { runImport } from '../../../src/main/benchmarks/import'
import type {
  BenchmarkManifestInput,
  PackInstanceInput,
  PromptSpec,
} from '../../../src/shared/benchmarks/pack'

/** A multiple-choice pack whose gold letter of question i is LETTERS[i % 4]. */
export const LETTERS = ['A', 'B', 'C', 'D'] as const

/** The test packs' prompt: the letter only. */
export const MC_PROMPT = {
  instructions: 'Answer with the letter only.',
  template: '{{instructions}}\n\n{{input}}\n{{choices}}',
  outputNoun: 'Answer',
  maxTokens: 1,
  temperature: 0,
  stop: ['\n'],
} satisfies PromptSpec

export function mcManifest(
  id: string,
  overrides: Partial<BenchmarkManifestInput> = {},
): BenchmarkManifestInput {
  return {
    id,
    name: `Test ${id}`,
    version: '1',
    taxonomy: { category: 'clinical_decision_support', subcategory: 'supporting_diagnostic_decisions' },
    access: 'private',
    taskType: 'multiple_choice',
    prompt: MC_PROMPT,
    metrics: [{ name: 'exact_match', main: true }],
    ...overrides,
  }
}

export function mcInstances(n: number, prefix = 'q'): PackInstanceInput[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`,
    input: `Question ${i}: which option is number ${i % 4}? (set ${prefix})`,
    choices: ['first', 'second', 'third', 'fourth'],
    references: [LETTERS[i % 4]!],
  }))
}

/** The gold letter the fake server should answer for a prompt built from mcInstances. */
export function goldOf(prompt: string): string {
  const m = /Question (\d+):/.exec(prompt)
  return m ? LETTERS[Number(m[1]) % 4]! : 'A'
}

export function writePack(
  dir: string,
  manifest: BenchmarkManifestInput,
  instances: PackInstanceInput[],
): string {
  const folder = join(dir, `pack-${manifest.id}`)
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest))
  writeFileSync(join(folder, 'instances.jsonl'), instances.map((i) => JSON.stringify(i)).join('\n') + '\n')
  return folder
}

export async function importPack(
  ctx: AppContext,
  dir: string,
  manifest: BenchmarkManifestInput,
  instances: PackInstanceInput[],
): Promise<void> {
  await runImport(ctx, { format: 'pack', path: writePack(dir, manifest, instances) })
}

export function count(ctx: AppContext, sql: string, ...args: unknown[]): number {
  return (ctx.db.prepare(sql).get(...args) as { n: number }).n
}
