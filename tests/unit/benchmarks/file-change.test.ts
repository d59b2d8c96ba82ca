import {
  closeSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  truncateSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runImport } from '../../../src/main/benchmarks/import'
import { watchSource } from '../../../src/main/benchmarks/importers/file-state'
import { readLines } from '../../../src/main/benchmarks/importers/text'
import { AppError } from '../../../src/main/errors'
import type { TempContext } from '../../support/context'
import { benchCtx, snapshot } from './helpers'

/**
 * A file that changes while it is imported (truncated, appended to, rewritten, replaced) fails the
 * import with a clear error and writes nothing (issue 13, point 2).
 */

let ctx: TempContext
beforeEach(() => {
  ctx = benchCtx()
})
afterEach(() => ctx.dispose())

const ROWS = 300_000

/** A CSV of `rows` rows; returns its path and the byte offset where each 1000th row starts. */
function writeCsv(name: string, rows: number): { file: string; text: string } {
  let text = 'id,question,answer\n'
  for (let i = 1; i <= rows; i++) text += `r${i},What is the next step for patient ${i}?,plan ${i % 7}\n`
  const file = join(ctx.dir, name)
  writeFileSync(file, text)
  // Times in the past, so a change now always moves the modification time.
  utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000))
  return { file, text }
}

const csvRequest = (file: string) => ({
  format: 'csv',
  path: file,
  map: { input: 'question', reference: 'answer', id: 'id' },
  settings: { subcategory: 'supporting_diagnostic_decisions', taskType: 'open_ended' },
})

describe('a CSV truncated at a line boundary while it is imported', () => {
  it('fails naming the file, and nothing is written', { timeout: 60_000 }, async () => {
    const { file, text } = writeCsv('extract.csv', ROWS)
    // A line boundary at about 60% of the file.
    const cut = text.indexOf('\n', Math.floor(text.length * 0.6)) + 1
    const before = snapshot(ctx.db)
    let truncated = false
    const attempt = runImport(ctx, csvRequest(file), {
      onProgress: ({ bytes }) => {
        if (!truncated && bytes > 0 && bytes < cut) {
          truncated = true
          truncateSync(file, cut)
        }
      },
    })
    await expect(attempt).rejects.toThrow(
      /^extract\.csv was truncated \(.*\) while it was being imported; nothing was imported/,
    )
    expect(truncated).toBe(true)
    expect(snapshot(ctx.db)).toEqual(before)
    expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM import_staging').get() as { n: number }).n).toBe(0)
  })
})

describe('the streaming reader notices a change', () => {
  /** Reads the file's lines, calling `change` after the first chunk. */
  async function readChanging(file: string, change: () => void): Promise<unknown> {
    let n = 0
    try {
      for await (const _ of readLines(file)) if (++n === 10) change()
      return null
    } catch (e) {
      return e
    }
  }

  it('when data is appended', async () => {
    const { file } = writeCsv('appended.csv', 60_000)
    const e = await readChanging(file, () => writeFileSync(file, 'r0,more,rows\n', { flag: 'a' }))
    expect(e).toBeInstanceOf(AppError)
    expect((e as Error).message).toMatch(/^appended\.csv grew .* while it was being imported/)
  })

  it('when the file is replaced by another one (renamed over it)', async () => {
    const { file, text } = writeCsv('replaced.csv', 60_000)
    const e = await readChanging(file, () => {
      writeFileSync(`${file}.new`, text)
      renameSync(`${file}.new`, file)
    })
    expect((e as Error).message).toMatch(
      /^replaced\.csv was replaced by another file while it was being imported/,
    )
  })

  it('when it is rewritten in place with the same size', async () => {
    const { file } = writeCsv('rewritten.csv', 60_000)
    const e = await readChanging(file, () => {
      const fd = openSync(file, 'r+')
      writeSync(fd, 'ID')
      closeSync(fd)
    })
    expect((e as Error).message).toMatch(/^rewritten\.csv was modified while it was being imported/)
  })

  it('and an unchanged file reads to the end without complaint', async () => {
    const { file } = writeCsv('same.csv', 60_000)
    expect(await readChanging(file, () => undefined)).toBeNull()
  })
})

describe('the imported path, checked before anything becomes visible', () => {
  it('a file read whole (zip, xlsx) that changed is refused; a folder only has to stay the same folder', async () => {
    const { file } = writeCsv('whole.xlsx', 10)
    const check = await watchSource(file)
    await expect(check()).resolves.toBeUndefined()
    writeFileSync(file, 'x', { flag: 'a' })
    await expect(check()).rejects.toThrow(
      /^whole\.xlsx grew \(from \d+ to \d+ bytes\) while it was being imported/,
    )

    const folder = join(ctx.dir, 'release')
    mkdirSync(folder)
    const checkFolder = await watchSource(folder)
    writeFileSync(join(folder, 'notes.txt'), 'a file beside the data')
    await expect(checkFolder()).resolves.toBeUndefined()
    rmSync(folder, { recursive: true })
    await expect(checkFolder()).rejects.toThrow(/^release was removed while it was being imported/)
  })
})
