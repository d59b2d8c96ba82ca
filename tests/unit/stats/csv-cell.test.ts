import { describe, expect, it } from 'vitest'
import { csvCell, csvRow } from '../../../src/main/csv/cell'

describe('csvCell', () => {
  it('neutralizes cells a spreadsheet would evaluate (OWASP CSV injection)', () => {
    for (const s of ['=1+1', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx'])
      expect(csvCell(s).replace(/^"|"$/g, '').startsWith("'")).toBe(true)
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
  })
  it('keeps numbers as numbers and quotes as RFC 4180 asks', () => {
    expect(csvCell(-3.5)).toBe('-3.5')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell(null)).toBe('')
    expect(csvRow(['x', 1, null, '=2'])).toBe("x,1,,'=2")
  })
})
