import { createHash } from 'node:crypto'
import { optionLetter, type PromptSpec } from '../../shared/benchmarks/pack'
import { canonicalJson } from '../benchmarks/normalize'

/**
 * Builds the prompt of one instance from its benchmark's prompt spec, as HELM's adapters build
 * MedHELM prompts (zero-shot, as MedHELM runs them):
 *
 * - the instructions block comes first, followed by a blank line (HELM: `instructions + "\n"`,
 *   blocks joined with `"\n"`); with no instructions there is no block at all;
 * - `{{choices}}` becomes one line per option, lettered "A. …", "B. …" (HELM's
 *   `multiple_choice_joint` adapter, `reference_prefix = "A. "`);
 * - the output noun closes the prompt on its own line as "<noun>:" (HELM's
 *   `output_prefix.rstrip()`), e.g. "Answer:".
 *
 * Placeholders: {{instructions}}, {{input}}, {{choices}}, {{metadata.<key>}}. A placeholder
 * the instance cannot fill is an error naming it, never an empty string.
 */

export interface PromptInstance {
  input: string
  choices: readonly string[] | null
  metadata: Record<string, unknown>
}

export type PromptSpecFields = Pick<PromptSpec, 'instructions' | 'template' | 'outputNoun'>

export class PromptError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
    this.name = 'PromptError'
  }
}

/** The option lines of a multiple-choice instance: "A. yes\nB. no\nC. maybe". */
export function letteredChoices(choices: readonly string[]): string {
  return choices.map((c, i) => `${optionLetter(i)}. ${c}`).join('\n')
}

function metadataText(value: unknown, key: string): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === undefined || value === null)
    throw new PromptError(
      `metadata.${key}`,
      `the template uses {{metadata.${key}}} but the instance has no metadata.${key}`,
    )
  return JSON.stringify(value)
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g

/** A template cut at its placeholders once: literal text, and what fills each placeholder. */
type Part = string | { name: string }

interface CompiledPrompt {
  parts: Part[]
  instructions: string
  /** Options are appended when the template has no {{choices}} of its own. */
  hasChoices: boolean
  noun: string
}

const compiled = new WeakMap<PromptSpecFields, CompiledPrompt>()

function compile(spec: PromptSpecFields): CompiledPrompt {
  let c = compiled.get(spec)
  if (c) return c
  let template = spec.template
  const instructions = spec.instructions.trim()
  // No instructions: no instructions block (and none of the blank lines that would follow it).
  if (instructions === '') template = template.replace(/\{\{\s*instructions\s*\}\}[ \t]*(?:\r?\n)*/g, '')
  const parts: Part[] = []
  let at = 0
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m.index > at) parts.push(template.slice(at, m.index))
    parts.push({ name: m[1]! })
    at = m.index + m[0].length
  }
  if (at < template.length) parts.push(template.slice(at))
  c = {
    parts,
    instructions,
    hasChoices: /\{\{\s*choices\s*\}\}/.test(spec.template),
    noun: spec.outputNoun.trim(),
  }
  compiled.set(spec, c)
  return c
}

function fill(name: string, c: CompiledPrompt, instance: PromptInstance): string {
  if (name === 'instructions') return c.instructions
  if (name === 'input') return instance.input
  if (name === 'choices') {
    if (!instance.choices || instance.choices.length === 0)
      throw new PromptError('choices', 'the template uses {{choices}} but the instance has no choices')
    return letteredChoices(instance.choices)
  }
  if (name.startsWith('metadata.')) {
    const key = name.slice('metadata.'.length)
    return metadataText(instance.metadata[key], key)
  }
  throw new PromptError(
    'prompt.template',
    `unknown placeholder {{${name}}} (use input, choices, instructions or metadata.<key>)`,
  )
}

/** The prompt of one instance (the template is cut at its placeholders once per spec). */
export function buildPrompt(spec: PromptSpecFields, instance: PromptInstance): string {
  const c = compile(spec)
  let body = ''
  for (const part of c.parts) body += typeof part === 'string' ? part : fill(part.name, c, instance)
  // A multiple-choice instance whose template forgot {{choices}} still shows its options.
  const withChoices =
    instance.choices && instance.choices.length > 0 && !c.hasChoices
      ? `${body.trimEnd()}\n${letteredChoices(instance.choices)}`
      : body
  const trimmed = withChoices.trimEnd()
  return c.noun === '' ? trimmed : `${trimmed}\n${c.noun}:`
}

/** What a prompt spec takes from an instance besides its input. */
export interface PromptNeeds {
  /** It shows the options ({{choices}}). */
  choices: boolean
  /** It names metadata fields ({{metadata.<key>}}). */
  metadata: boolean
}

export function promptNeeds(spec: PromptSpecFields): PromptNeeds {
  const names = compile(spec).parts.flatMap((p) => (typeof p === 'string' ? [] : [p.name]))
  return { choices: names.includes('choices'), metadata: names.some((n) => n.startsWith('metadata.')) }
}

/**
 * Throws the PromptError `buildPrompt` would throw for this instance, without building the prompt:
 * each placeholder is filled and the text dropped. Only the fields `promptNeeds` names are read (a
 * stand-in input will do).
 */
export function checkPrompt(spec: PromptSpecFields, instance: PromptInstance): void {
  const c = compile(spec)
  for (const part of c.parts) if (typeof part !== 'string') fill(part.name, c, instance)
}

/** sha256 of the parts of a prompt spec that shape the prompt text (recorded in the run manifest). */
export function promptTemplateHash(spec: PromptSpecFields): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        instructions: spec.instructions,
        template: spec.template,
        outputNoun: spec.outputNoun,
      }),
    )
    .digest('hex')
}
