import { z } from 'zod'

/**
 * The WardEval benchmark pack: one manifest plus its instances. Every benchmark — MedHELM's public
 * ones built by the importers and a hospital's private ones — is stored in this shape. The format
 * is documented for users in docs/benchmark-pack.md.
 */

export const TASK_TYPES = ['multiple_choice', 'numeric', 'sql', 'classification', 'open_ended'] as const
export const TaskType = z.enum(TASK_TYPES)
export type TaskType = z.infer<typeof TaskType>

export const ACCESS_LEVELS = ['public', 'gated', 'private'] as const
export const Access = z.enum(ACCESS_LEVELS)
export type Access = z.infer<typeof Access>

/** Metric names the scorer knows; `main` marks the leaderboard metric. */
export const METRIC_NAMES = [
  'exact_match', // option letter / label equality after extraction
  'medcalc_accuracy', // MedCalc-Bench per-category tolerance rules
  'ehrsql_execution_accuracy', // predicted vs gold SQL result sets
  'medec_flag_accuracy', // MEDEC error flag
  'label_accuracy', // yes/no/maybe or other closed label set
  'f1', // token or set F1
  'micro_f1', // code-set micro F1
  'rouge_l',
  'bleu',
  'bertscore',
  'jury', // LLM jury over the manifest's jury criteria
] as const
export const MetricName = z.enum(METRIC_NAMES)
export type MetricName = z.infer<typeof MetricName>

export const Slug = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,79}$/,
    'use 1–80 lower-case letters, digits, "_", "." or "-", starting with a letter or digit',
  )

export const JuryCriterion = z.object({
  id: Slug,
  name: z.string().min(1),
  description: z.string().min(1),
})
export type JuryCriterion = z.infer<typeof JuryCriterion>

export const PromptSpec = z.object({
  /** Text placed before the input, as HELM's adapter `instructions`. */
  instructions: z.string().default(''),
  /**
   * The prompt body. Placeholders: {{input}}, {{choices}} (lettered "A. …" lines),
   * {{instructions}}, and {{metadata.<key>}}. Default: instructions, blank line, input, choices.
   */
  template: z.string().min(1).default('{{instructions}}\n\n{{input}}\n{{choices}}'),
  /** HELM's output noun: appended as "<outputNoun>:" at the end of the prompt when set. */
  outputNoun: z.string().default(''),
  maxTokens: z.number().int().positive().default(512),
  temperature: z.number().min(0).max(2).default(0),
  stop: z.array(z.string()).default([]),
})
export type PromptSpec = z.infer<typeof PromptSpec>

export const MetricSpec = z.object({
  name: MetricName,
  main: z.boolean().default(false),
})

export const SourceInfo = z.object({
  name: z.string().default(''),
  url: z.string().default(''),
  license: z.string().default(''),
  citation: z.string().default(''),
  commit: z.string().default(''),
})

export const BenchmarkManifest = z
  .object({
    id: Slug,
    name: z.string().min(1).max(200),
    version: z.string().min(1).max(64).default('1'),
    description: z.string().default(''),
    taxonomy: z.object({
      category: z.string().min(1),
      subcategory: z.string().min(1),
      task: z.string().optional(),
    }),
    access: Access,
    taskType: TaskType,
    prompt: PromptSpec,
    metrics: z.array(MetricSpec).min(1),
    jury: z.object({ criteria: z.array(JuryCriterion).min(1) }).optional(),
    source: SourceInfo.optional(),
  })
  .superRefine((m, ctx) => {
    if (m.metrics.filter((x) => x.main).length > 1)
      ctx.addIssue({ code: 'custom', path: ['metrics'], message: 'at most one metric may be main' })
    if (m.metrics.some((x) => x.name === 'jury') && !m.jury)
      ctx.addIssue({ code: 'custom', path: ['jury'], message: 'the jury metric needs jury.criteria' })
  })
export type BenchmarkManifest = z.infer<typeof BenchmarkManifest>
export type BenchmarkManifestInput = z.input<typeof BenchmarkManifest>

/**
 * One instance. `references` holds the gold answer(s): for multiple choice the correct option
 * letter(s) ("A", "B", …) with the option texts in `choices`; for numeric the value (tolerance
 * limits in metadata); for sql the gold query; for classification the label; for open-ended the
 * gold text.
 */
export const PackInstance = z.object({
  id: z.string().min(1).max(200),
  input: z.string().min(1),
  choices: z.array(z.string()).min(2).max(26).optional(),
  references: z.array(z.string()).min(1),
  split: z.string().min(1).default('test'),
  metadata: z.record(z.string(), z.unknown()).default({}),
})
export type PackInstance = z.infer<typeof PackInstance>
export type PackInstanceInput = z.input<typeof PackInstance>

/** Option letters as HELM's multiple-choice adapter writes them. */
export function optionLetter(index: number): string {
  return String.fromCharCode(65 + index)
}

/**
 * Checks an instance against its manifest beyond the schema: a multiple-choice instance needs its
 * options and references that are option letters. Returns the problems (field, message).
 */
export function instanceProblems(
  taskType: TaskType,
  instance: PackInstance,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = []
  if (taskType === 'multiple_choice') {
    if (!instance.choices) {
      problems.push({ field: 'choices', message: 'a multiple_choice instance needs at least 2 choices' })
    } else {
      const last = optionLetter(instance.choices.length - 1)
      instance.references.forEach((r, i) => {
        if (!/^[A-Z]$/.test(r) || r > last)
          problems.push({
            field: `references.${i}`,
            message: `"${r.slice(0, 40)}" is not an option letter A–${last}`,
          })
      })
    }
  }
  return problems
}
