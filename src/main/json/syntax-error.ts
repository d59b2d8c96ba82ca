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

type Found = { at: number; problem: string }

/** Why the string starting at `start` (a '"') does not scan. */
function stringError(text: string, start: number): Found {
  let j = start + 1
  while (j < text.length && text[j] !== '"') {
    if (text.charCodeAt(j) < 0x20) return { at: j, problem: 'a control character inside a string' }
    if (text[j] === '\\') {
      if (!/["\\/bfnrtu]/.test(text[j + 1] ?? '')) return { at: j, problem: 'an invalid escape in a string' }
      if (text[j + 1] === 'u' && !/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6)))
        return { at: j, problem: 'an invalid \\u escape in a string' }
      j += 2
    } else j++
  }
  return { at: j, problem: 'a string that is never closed' }
}

/** A JSON scanner that stops at the first error (iterative: deep nesting cannot overflow the stack). */
class Scanner {
  private i = 0
  private readonly stack: ('{' | '[')[] = []
  constructor(private readonly text: string) {}

  private skip(): void {
    while (this.i < this.text.length && WS.has(this.text[this.i]!)) this.i++
  }
  private fail(problem: string): Found {
    return { at: this.i, problem }
  }
  private token(re: RegExp): boolean {
    re.lastIndex = this.i
    if (!re.test(this.text)) return false
    this.i = re.lastIndex
    return true
  }
  private string(): Found | null {
    return this.token(STRING) ? null : stringError(this.text, this.i)
  }
  /** A property name and its ':' (the value follows). */
  private propertyName(): Found | null {
    this.skip()
    if (this.text[this.i] !== '"') return this.fail('a property name (in double quotes) was expected')
    const bad = this.string()
    if (bad) return bad
    this.skip()
    if (this.text[this.i] !== ':') return this.fail("a ':' was expected after the property name")
    this.i++
    return null
  }

  /** One value, or the opening of a container (then `more` is true: its first member comes next). */
  private value(): { error: Found | null; more: boolean } {
    this.skip()
    const c = this.text[this.i]
    if (c === undefined) return { error: this.fail('the text ends where a value was expected'), more: false }
    if (c === '{' || c === '[') {
      this.stack.push(c)
      this.i++
      this.skip()
      if (this.text[this.i] !== (c === '{' ? '}' : ']'))
        return { error: c === '{' ? this.propertyName() : null, more: true }
      this.stack.pop()
      this.i++
      return { error: null, more: false }
    }
    if (c === '"') return { error: this.string(), more: false }
    if (this.token(NUMBER) || this.token(LITERAL)) return { error: null, more: false }
    return { error: this.fail('an unexpected character where a value was expected'), more: false }
  }

  /** After a value: closes containers, or takes a ',' (and a property name); done when all closed. */
  private after(): { error: Found | null; done: boolean } {
    for (;;) {
      this.skip()
      const top = this.stack[this.stack.length - 1]
      if (top === undefined)
        return {
          error: this.i < this.text.length ? this.fail('more text after the end of the JSON value') : null,
          done: true,
        }
      const close = top === '{' ? '}' : ']'
      if (this.text[this.i] === close) {
        this.stack.pop()
        this.i++
        continue
      }
      if (this.text[this.i] !== ',') {
        const ended = this.i >= this.text.length
        return {
          error: this.fail(
            ended ? 'the text ends inside an object or array' : `a ',' or '${close}' was expected`,
          ),
          done: true,
        }
      }
      this.i++
      return { error: top === '{' ? this.propertyName() : null, done: false }
    }
  }

  /** The first error, or null if the text is valid JSON. */
  firstError(): Found | null {
    for (;;) {
      const v = this.value()
      if (v.error) return v.error
      if (v.more) continue
      const a = this.after()
      if (a.error || a.done) return a.error
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
  let found: Found | null
  try {
    found = new Scanner(text).firstError()
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
