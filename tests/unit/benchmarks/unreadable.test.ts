import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import * as fsp from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { readManifest } from '../../../src/main/benchmarks/importers/pack'
import { readLines } from '../../../src/main/benchmarks/importers/text'
import { AppError } from '../../../src/main/errors'

/**
 * An unreadable file gets a clear message naming it (issue 13, point 8), never a raw EACCES. Tests
 * run as root, who can read a 0000 file, so the refusal is simulated at `open`.
 */

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fsp>()
  return { ...actual, open: vi.fn(actual.open) }
})

const dir = mkdtempSync(join(tmpdir(), 'wardeval-unreadable-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function refuse(code: string): void {
  vi.mocked(fsp.open).mockRejectedValueOnce(
    Object.assign(new Error(`${code}: simulated, open '/secret/ward 7/notes.csv'`), { code }),
  )
}

async function errorOf(run: () => Promise<unknown>): Promise<AppError> {
  const e = await run().then(
    () => null,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(AppError)
  return e as AppError
}

describe('a file that cannot be opened', () => {
  const csv = join(dir, 'notes.csv')
  writeFileSync(csv, 'question,answer\nq,a\n')

  it.each([
    ['EACCES', 'notes.csv cannot be read: permission denied'],
    ['EPERM', 'notes.csv cannot be read: permission denied'],
    [
      'EIO',
      'notes.csv cannot be read: an input/output error occurred (a damaged disk or a lost network share?)',
    ],
  ])('%s: names the file and the reason, not the folders or the raw error', async (code, message) => {
    refuse(code)
    const e = await errorOf(async () => {
      for await (const _ of readLines(csv));
    })
    expect(e.code).toBe('bad_data')
    expect(e.message).toBe(message)
    expect(e.message).not.toMatch(/secret|ward 7|EACCES/)
  })

  it("a pack's manifest too", async () => {
    const manifest = join(dir, 'manifest.json')
    writeFileSync(manifest, '{}')
    refuse('EACCES')
    expect((await errorOf(() => readManifest(manifest))).message).toBe(
      'manifest.json cannot be read: permission denied',
    )
  })
})
