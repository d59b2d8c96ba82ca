/**
 * Where and why a JSON text is invalid, without quoting it. Node's JSON.parse messages quote the
 * text around the error ("Unexpected token 'P', "Patient Jo"... is not valid JSON"), and the text
 * may be patient data: bad-input messages use this instead (line, column, what was wrong).
 * Called only after JSON.parse has failed; a small iterative scanner finds the first error.
 */

export interface JsonSyntaxProblem {
  /** 1-based line and column (in UTF-16 units) of the first offending character. */
  line: number
  column: number
  /** What is wrong, in words that never include the text. */
  problem: string
  /** The text ends before the value does (a cut-off file or line). */
  truncated: boolean
}

const WS = new Set([' ', '\t', '\n', '\r'])
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y
const LITERAL = /true|false|null/y
// eslint-disable-next-line no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y

/** The offset of the first error and what it is, or null if the text is valid JSON. */
function firstError(text: string): { at: number; problem: string } | null {
  let i = 0
  const stack: ('{' | '[')[] = []
  const skip = () => {
    while (i < text.length && WS.has(text[i]!)) i++
  }
  const fail = (problem: string) => ({ at: i, problem })
  const token = (re: RegExp): boolean => {
    re.lastIndex = i
    if (!re.test(text)) return false
    i = re.lastIndex
    return true
  }
  const stringError = () => {
    let j = i + 1
    while (j < text.length && text[j] !== '"') {
      if (text.charCodeAt(j) < 0x20) return { at: j, problem: 'a control character inside a string' }
      if (text[j] === '\\') {
        if (!/["\\/bfnrtu]/.test(text[j + 1] ?? ''))
          return { at: j, problem: 'an invalid escape in a string' }
        if (text[j + 1] === 'u' && !/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6)))
          return { at: j, problem: 'an invalid \\u escape in a string' }
        j += 2
      } else j++
    }
    return { at: j, problem: 'a string that is never closed' }
  }
  for (;;) {
    // A value is expected here.
    skip()
    const c = text[i]
    if (c === undefined) return fail('the text ends where a value was expected')
    if (c === '{' || c === '[') {
      stack.push(c)
      i++
      skip()
      if (text[i] === (c === '{' ? '}' : ']')) {
        stack.pop()
        i++
      } else if (c === '{') {
        if (text[i] !== '"') return fail('a property name (in double quotes) was expected')
        if (!token(STRING)) return stringError()
        skip()
        if (text[i] !== ':') return fail("a ':' was expected after the property name")
        i++
        continue
      } else continue
    } else if (c === '"') {
      if (!token(STRING)) return stringError()
    } else if (!token(NUMBER) && !token(LITERAL))
      return fail('an unexpected character where a value was expected')
    // After a value: close containers, or a comma and the next member.
    for (;;) {
      skip()
      const top = stack[stack.length - 1]
      if (top === undefined) return i < text.length ? fail('more text after the end of the JSON value') : null
      const close = top === '{' ? '}' : ']'
      if (text[i] === close) {
        stack.pop()
        i++
        continue
      }
      if (text[i] !== ',')
        return fail(
          i >= text.length ? 'the text ends inside an object or array' : `a ',' or '${close}' was expected`,
        )
      i++
      if (top === '{') {
        skip()
        if (text[i] !== '"') return fail('a property name (in double quotes) was expected')
        if (!token(STRING)) return stringError()
        skip()
        if (text[i] !== ':') return fail("a ':' was expected after the property name")
        i++
      }
      break
    }
  }
}

/** Line and column (1-based) of a character offset in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let last = -1
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++
    last = k
  }
  return { line, column: offset - last }
}

/** Where and why `text` (which JSON.parse refused) is not valid JSON. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem {
  let found: { at: number; problem: string } | null
  try {
    found = firstError(text)
  } catch {
    found = { at: 0, problem: 'not valid JSON' }
  }
  const at = found?.at ?? 0
  return {
    ...lineAndColumn(text, at),
    problem: found?.problem ?? 'not valid JSON',
    truncated: at >= text.length,
  }
}

/** "invalid JSON at line 3, column 14: a ',' or '}' was expected" — never any of the text. */
export function jsonSyntaxMessage(text: string, options: { withLine?: boolean } = {}): string {
  const p = jsonSyntaxProblem(text)
  const where = options.withLine === false ? `column ${p.column}` : `line ${p.line}, column ${p.column}`
  return `invalid JSON at ${where}: ${p.problem}${p.truncated ? ' — it looks truncated' : ''}`
}

/**
 * For one line of a JSON Lines file: "invalid JSON at column 14: …" (the caller names the file and
 * line). `last`: the file's last line, without a newline — cut off when the JSON ends early.
 */
export function jsonLineMessage(text: string, last: boolean): string {
  const p = jsonSyntaxProblem(text)
  const cutOff = last && p.truncated ? ' — the last line is cut off; the file looks truncated' : ''
  return `invalid JSON at column ${p.column}: ${p.problem}${cutOff}`
}
