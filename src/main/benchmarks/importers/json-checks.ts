/**
 * Checks every JSON reader of the importers applies (pack, JSONL tables, published datasets), so a
 * hostile or broken file gets a message naming its place instead of a crash or silent damage:
 *
 *   - nesting deeper than MAX_JSON_DEPTH levels is refused before parsing (100,000 nested arrays
 *     would otherwise overflow the stack: "Maximum call stack size exceeded");
 *   - a lone surrogate (an unpaired \uD800–\uDFFF escape) is refused: it cannot be stored as
 *     UTF-8, and SQLite would silently replace it;
 *   - a NUL character (\u0000) is refused, as NUL bytes are in any imported text (./text.ts):
 *     docs/benchmark-pack.md.
 *
 * Messages name the field, never its content.
 */

import { jsonLineMessage } from '../../json/syntax-error'
import { badData } from './text'

export const MAX_JSON_DEPTH = 256

export interface JsonProblem {
  message: string
  /** Dotted path of the field holding the bad text ("metadata.note", "references[0]"), if known. */
  field: string | null
  /** Character offset in the text, if known. */
  offset: number | null
}

function countUpTo(text: string, ch: string, limit: number, from: number): number {
  let n = from
  for (let i = text.indexOf(ch); i !== -1 && n <= limit; i = text.indexOf(ch, i + 1)) n++
  return n
}

/** Nesting deeper than MAX_JSON_DEPTH, found by a string-aware scan of the text; null when fine. */
export function depthProblem(text: string, max = MAX_JSON_DEPTH): JsonProblem | null {
  // Fewer opening brackets than the limit cannot nest too deep: the common case costs two indexOf scans.
  if (countUpTo(text, '{', max, countUpTo(text, '[', max, 0)) <= max) return null
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 91 || c === 123) {
      if (++depth > max)
        return {
          message: `JSON nested more than ${max} levels deep (objects and arrays inside each other); WardEval reads at most ${max}`,
          field: null,
          offset: i,
        }
    } else if (c === 93 || c === 125) depth--
  }
  return null
}

/** Escapes that may produce a lone surrogate or a NUL: only texts holding one are walked. */
const SUSPECT = /\\u(?:[dD][89a-fA-F]|0000)/

/** A surrogate code unit without its partner (matched by code unit: no `u` flag). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function stringIssue(s: string): string | null {
  if (LONE_SURROGATE.test(s))
    return 'contains a lone surrogate (an unpaired \\uD800–\\uDFFF escape); text must be valid Unicode'
  if (s.includes('\u0000')) return 'contains a NUL character (\\u0000), which imported text may not hold'
  return null
}

/** A lone surrogate or NUL in any string or key of `value` (parsed from `text`); null when none. */
export function stringProblem(text: string, value: unknown): JsonProblem | null {
  if (!SUSPECT.test(text)) return null
  const stack: [unknown, string][] = [[value, '']]
  while (stack.length) {
    const [v, path] = stack.pop()!
    if (typeof v === 'string') {
      const message = stringIssue(v)
      if (message) return { message, field: path || null, offset: null }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`])
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v)
      for (const k of keys) {
        const message = stringIssue(k)
        // The key itself is bad: name where it sits, not the key (it is content).
        if (message) return { message: `a field name ${message}`, field: path || null, offset: null }
      }
      for (let i = keys.length - 1; i >= 0; i--)
        stack.push([(v as Record<string, unknown>)[keys[i]!], path ? `${path}.${keys[i]}` : keys[i]!])
    }
  }
  return null
}

/**
 * One line of a JSONL file parsed, with the checks above: errors name the file, the line and,
 * where there is one, the field.
 */
export function parseJsonLine(text: string, file: string, line: number, last: boolean): unknown {
  const deep = depthProblem(text)
  if (deep)
    throw badData(`${file} line ${line}: ${deep.message}`, [{ path: [file, line], message: 'too deep' }])
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // Never Node's message: it quotes the text around the error, which may be patient data.
    throw badData(`${file} line ${line}: ${jsonLineMessage(text, last)}`, [
      { path: [file, line], message: 'invalid JSON' },
    ])
  }
  const bad = stringProblem(text, value)
  if (bad)
    throw badData(`${file} line ${line}: ${bad.field ? `field "${bad.field}": ` : ''}${bad.message}`, [
      { path: [file, line, ...(bad.field ? [bad.field] : [])], message: bad.message },
    ])
  return value
}
