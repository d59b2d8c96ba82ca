import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCliCaptured } from '../../support/cli'

const cli = (args: string[]) => runCliCaptured(args)

const reference = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/scoring/rouge-l-reference.json'), 'utf8'),
) as {
  pairs: { prediction: string; reference: string; precision: number; recall: number; f1: number }[]
}

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wardeval-rouge-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('wardeval stats rouge <pairs.jsonl>', () => {
  it('--json: ROUGE-L precision, recall and F1 per line, equal to rouge-score with stemming', async () => {
    const pairs = reference.pairs.slice(0, 12)
    const file = join(dir, 'pairs.jsonl')
    writeFileSync(
      file,
      pairs.map((p) => JSON.stringify({ prediction: p.prediction, reference: p.reference })).join('\n') +
        '\n\n',
    )
    const r = await cli(['stats', 'rouge', file, '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as {
      count: number
      pairs: { line: number; precision: number; recall: number; f1: number }[]
      mean: { f1: number }
    }
    expect(out.count).toBe(12)
    out.pairs.forEach((p, i) => {
      expect(p.line).toBe(i + 1)
      expect(p.precision).toBeCloseTo(pairs[i]!.precision, 12)
      expect(p.recall).toBeCloseTo(pairs[i]!.recall, 12)
      expect(p.f1).toBeCloseTo(pairs[i]!.f1, 12)
    })
    expect(out.mean.f1).toBeCloseTo(pairs.reduce((a, p) => a + p.f1, 0) / 12, 12)
  })

  it('prints a table for people, with a mean row', async () => {
    const file = join(dir, 'pairs.jsonl')
    writeFileSync(
      file,
      [
        {
          id: 'rx-1',
          prediction: 'The quick brown dog jumps on the log.',
          reference: 'The quick brown fox jumps over the lazy dog',
        },
        { prediction: 'take with food', reference: ['apply to skin', 'take with food'] },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    )
    const r = await cli(['stats', 'rouge', file])
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^line\s+precision\s+recall\s+f1$/)
    expect(lines[2]).toMatch(/^1 \(rx-1\)\s+0\.6250\s+0\.5556\s+0\.5882$/)
    expect(lines[3]).toMatch(/^2\s+1\.0000\s+1\.0000\s+1\.0000$/)
    expect(lines[4]).toMatch(/^mean of 2\s+0\.8125\s+0\.7778\s+0\.7941$/)
  })

  it('names the line and the field of a bad input, and prints nothing else', async () => {
    const file = join(dir, 'bad.jsonl')
    writeFileSync(
      file,
      `${JSON.stringify({ prediction: 'a', reference: 'b' })}\n${JSON.stringify({ prediction: 3, reference: 'b' })}\n`,
    )
    let r = await cli(['stats', 'rouge', file, '--json'])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('bad.jsonl line 2, field "prediction": must be a string')

    writeFileSync(file, `{"prediction": "a", "reference": "b"}\n{"prediction": "a", "reference":\n`)
    r = await cli(['stats', 'rouge', file])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('bad.jsonl line 2: invalid JSON at column')

    writeFileSync(file, `{"prediction": "a"}\n`)
    r = await cli(['stats', 'rouge', file])
    expect(r.stderr).toContain('bad.jsonl line 1, field "reference"')

    writeFileSync(file, '\n')
    r = await cli(['stats', 'rouge', file])
    expect(r).toMatchObject({ code: 1 })
    expect(r.stderr).toContain('no pairs')

    r = await cli(['stats', 'rouge', join(dir, 'missing.jsonl')])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('pairs file not found')
  })

  it('usage error without a file', async () => {
    expect((await cli(['stats', 'rouge'])).code).toBe(2)
  })
})
