import { describe, expect, it } from 'vitest'
import { jsonLineMessage, jsonSyntaxMessage, jsonSyntaxProblem } from '../../../src/main/json/syntax-error'

/** JSON syntax errors located by line and column, in words that never quote the text. */
describe('jsonSyntaxProblem', () => {
  const cases: [string, number, number, string, boolean][] = [
    ['{"a": Patient John}', 1, 7, 'an unexpected character where a value was expected', false],
    ['{"a": "x"', 1, 10, 'the text ends inside an object or array', true],
    ['{"a":1}}', 1, 8, 'more text after the end of the JSON value', false],
    ['{"a":"b\u0001"}', 1, 8, 'a control character inside a string', false],
    ['{a:1}', 1, 2, 'a property name (in double quotes) was expected', false],
    ['{"a":1,}', 1, 8, 'a property name (in double quotes) was expected', false],
    ['[1 2]', 1, 4, "a ',' or ']' was expected", false],
    ['{"x": "ok",\n "y": tru}', 2, 7, 'an unexpected character where a value was expected', false],
    ['"\\x"', 1, 2, 'an invalid escape in a string', false],
    ['{"a" 1}', 1, 6, "a ':' was expected after the property name", false],
    ['"never closed', 1, 14, 'a string that is never closed', true],
    ['', 1, 1, 'the text ends where a value was expected', true],
  ]
  for (const [text, line, column, problem, truncated] of cases) {
    it(JSON.stringify(text), () => {
      expect(() => JSON.parse(text)).toThrow()
      expect(jsonSyntaxProblem(text)).toEqual({ line, column, problem, truncated })
    })
  }

  it('deep nesting does not overflow the stack', () => {
    expect(jsonSyntaxProblem('['.repeat(200_000))).toMatchObject({
      problem: 'the text ends where a value was expected',
    })
  })

  it('messages for a whole text and for one line of a JSON Lines file', () => {
    expect(jsonSyntaxMessage('[1,')).toBe(
      'invalid JSON at line 1, column 4: the text ends where a value was expected — it looks truncated',
    )
    expect(jsonLineMessage('{"a": "cut', true)).toBe(
      'invalid JSON at column 11: a string that is never closed — the last line is cut off; the file looks truncated',
    )
    expect(jsonLineMessage('{"a": x}', false)).toBe(
      'invalid JSON at column 7: an unexpected character where a value was expected',
    )
  })
})
