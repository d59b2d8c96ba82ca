import { describe, expect, it } from 'vitest'
import {
  helmTemplate,
  pyListRepr,
  pyStrip,
  pyStrRepr,
  pyTitle,
} from '../../../../src/main/benchmarks/importers/published/helm'
import {
  readCsv,
  readJsonFile,
  readJsonLines,
  topLevelKeys,
} from '../../../../src/main/benchmarks/importers/published/read'
import { parseXml } from '../../../../src/main/benchmarks/importers/published/xml'
import { AppError } from '../../../../src/main/errors'
import { fixture } from './support'

async function failure(run: () => Promise<unknown>): Promise<AppError> {
  try {
    await run()
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    return e as AppError
  }
  throw new Error('expected a failure')
}

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

describe('Python string semantics used by HELM scenarios', () => {
  it('str.title(), str.strip() and repr() of str lists', () => {
    expect(pyTitle('BACKGROUND')).toBe('Background')
    expect(pyTitle('MATERIALS AND METHODS')).toBe('Materials And Methods')
    expect(pyTitle('PATIENTS/METHODS')).toBe('Patients/Methods')
    expect(pyTitle("it's 3d")).toBe("It'S 3D")
    expect(pyStrip('\u00a0 text\x1c\n')).toBe('text')
    expect(pyStrRepr("it's")).toBe('"it\'s"')
    expect(pyStrRepr('say "hi"')).toBe('\'say "hi"\'')
    expect(pyStrRepr('both \' and "')).toBe("'both \\' and \"'")
    expect(pyStrRepr('a\\b\nc\u00a0\u200b')).toBe("'a\\\\b\\nc\\xa0\\u200b'")
    expect(pyStrRepr('café – ok')).toBe("'café – ok'")
    expect(pyListRepr(['a', "b's"])).toBe("['a', \"b's\"]")
  })

  it('HELM prompt layouts as pack templates', () => {
    expect(helmTemplate('Question', 'generation')).toBe('{{instructions}}\n\nQuestion: {{input}}\n')
    expect(helmTemplate(null, 'multiple_choice')).toBe('{{instructions}}\n\n{{input}}{{choices}}')
    expect(helmTemplate('Question', 'multiple_choice')).toBe(
      '{{instructions}}\n\nQuestion: {{input}}\n{{choices}}',
    )
  })
})

describe('shared readers', () => {
  it('readJsonFile names the line of a syntax error and reports a truncated document', async () => {
    const truncated = await failure(() => readJsonFile(fixture('pubmedqa-truncated.json')))
    expect(truncated.code).toBe('bad_data')
    expect(truncated.message).toMatch(
      /pubmedqa-truncated\.json line \d+: invalid JSON at column \d+: .* — the file looks truncated/,
    )
    const missing = await failure(() => readJsonFile(fixture('no-such-file.json')))
    expect(missing.code).toBe('not_found')
  })

  it('topLevelKeys lists the keys of the top-level object in file order, skipping nested ones', () => {
    expect(topLevelKeys('{"20": {"a": [1, {"b": 2}]}, "3": "x\\"y", "k\\u00e9": null}')).toEqual([
      '20',
      '3',
      'k\u00e9',
    ])
  })

  it('readJsonLines skips blank lines and keeps line numbers', async () => {
    const lines = await drain(readJsonLines(fixture('medhallu-small.jsonl')))
    expect(lines.map((l) => l.line)).toEqual([1])
    const bad = await failure(() => drain(readJsonLines(fixture('medhallu-invalid-utf8.jsonl'))))
    expect(bad.message).toMatch(/line 2: invalid UTF-8/)
  })

  it('readCsv converts CRLF inside quoted fields only when asked, and gives start lines', async () => {
    const raw = await drain(readCsv(fixture('race-duplicates.csv'), { required: ['Question'] }))
    expect(raw.map((r) => r.line)).toEqual([2, 4, 5])
    expect(raw[0]!.values['Response']).toBe('R1 line one\r\nline two')
    const python = await drain(
      readCsv(fixture('race-duplicates.csv'), { required: ['Question'], universalNewlines: true }),
    )
    expect(python[0]!.values['Response']).toBe('R1 line one\nline two')
  })
})

describe('parseXml', () => {
  it('reads elements, attributes, entities, CDATA and comments', () => {
    const root = parseXml(
      '<?xml version="1.0"?>\n<!-- c -->\n<a x="1 &amp; 2">t&#233;xt<b/><![CDATA[<raw>]]></a>\n',
      'f.xml',
    )
    expect(root).toMatchObject({ name: 'a', attributes: { x: '1 & 2' }, text: 'téxt<raw>', line: 3 })
    expect(root.children.map((c) => c.name)).toEqual(['b'])
  })

  it('names the line of malformed markup', () => {
    expect(() => parseXml('<a>\n<b>\n</a>', 'f.xml')).toThrow(
      /f\.xml line 3: end tag <\/a> does not match <b> opened on line 2/,
    )
    expect(() => parseXml('<a>\n<b>x</b>', 'f.xml')).toThrow(
      /<a> opened on line 1 is never closed \(truncated file\?\)/,
    )
    expect(() => parseXml('<a>AT&T</a>', 'f.xml')).toThrow(/bare "&"/)
    expect(() => parseXml('<a></a><b></b>', 'f.xml')).toThrow(/second root element <b>/)
  })
})
