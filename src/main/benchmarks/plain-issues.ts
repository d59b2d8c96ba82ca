import type { z } from 'zod'

/**
 * Problems with an instance, in the words a user reads: the field as the app names it ("reference
 * answer 1", not `references.0`) and what is wrong with it ("is empty", not "Too small: expected
 * string to have >=1 characters"). Never the value itself: it may be patient data. The import
 * (instance-rows.ts) and its preview (import.ts) both report through here, so the CLI and the app
 * say the same thing.
 */

const FIELD_NAMES: Record<string, string> = {
  id: 'instance id',
  input: 'input',
  choices: 'answer options',
  references: 'reference answers',
  split: 'split',
  metadata: 'metadata',
}

/** `references.0` → "reference answer 1"; `choices.2` → "option C"; `metadata.ward` → `metadata "ward"`. */
export function plainField(path: readonly PropertyKey[]): string {
  const [head, index] = path
  if (head === undefined) return 'instance'
  const name = String(head)
  if (typeof index === 'number') {
    if (name === 'references') return `reference answer ${index + 1}`
    if (name === 'choices') return `option ${String.fromCharCode(65 + index)}`
  }
  if (name === 'metadata' && index !== undefined) return `metadata "${String(index)}"`
  return FIELD_NAMES[name] ?? name
}

type Issue = z.core.$ZodIssue

function sizeMessage(issue: Issue & { code: 'too_small' | 'too_big' }): string {
  const origin = (issue as { origin?: string }).origin
  const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum)
  if (issue.code === 'too_small') {
    if (origin === 'string') return bound <= 1 ? 'is empty' : `is shorter than ${bound} characters`
    if (origin === 'array') return bound <= 1 ? 'has none' : `needs at least ${bound}, has fewer`
    return `is below ${bound}`
  }
  if (origin === 'string') return `is longer than ${bound} characters`
  if (origin === 'array') return `has more than ${bound}`
  return `is above ${bound}`
}

function typeMessage(issue: Issue & { code: 'invalid_type' }): string {
  const expected = String(issue.expected)
  const what =
    expected === 'string'
      ? 'text'
      : expected === 'array'
        ? 'a list'
        : expected === 'object' || expected === 'record'
          ? 'a set of named values'
          : expected
  return /received undefined/i.test(issue.message) ? 'is missing' : `must be ${what}`
}

/** One schema problem of an instance as field and plain message. */
export function plainInstanceIssue(issue: Issue): { field: string; message: string } {
  const field = plainField(issue.path)
  switch (issue.code) {
    case 'too_small':
    case 'too_big':
      return { field, message: sizeMessage(issue) }
    case 'invalid_type':
      return { field, message: typeMessage(issue) }
    case 'unrecognized_keys':
      return { field, message: `has fields WardEval does not know (${issue.keys.join(', ')})` }
    default:
      return { field, message: 'is not valid' }
  }
}
