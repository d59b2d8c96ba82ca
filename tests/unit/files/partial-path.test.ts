import { describe, expect, it } from 'vitest'
import { partialPath } from '../../../src/main/files/partial-path'

describe('partialPath', () => {
  it('names a new temporary file beside the target on every call', () => {
    const names = new Set(Array.from({ length: 1000 }, () => partialPath('/data/key.json')))
    expect(names.size).toBe(1000)
    for (const n of names) expect(n).toMatch(/^\/data\/key\.json\.\d+-\d+-[0-9a-f]{12}\.partial$/)
  })
})
