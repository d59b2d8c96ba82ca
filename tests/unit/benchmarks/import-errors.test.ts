import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runImport } from '../../../src/main/benchmarks/import'
import { readJsonFile } from '../../../src/main/benchmarks/importers/published/read'
import { parseXml } from '../../../src/main/benchmarks/importers/published/xml'
import { instancesPage } from '../../../src/main/benchmarks/queries'
import type { ImportRequest } from '../../../src/shared/api/benchmarks'
import type { TempContext } from '../../support/context'
import { mcManifest } from '../runs/helpers'
import { benchCtx, snapshot } from './helpers'

/**
 * Every import error names its place (issue 13, point 8): the file and, where there is one, the
 * line and field — never a stack overflow, a raw EACCES, or silently changed data.
 */

let ctx: TempContext
beforeEach(() => {
  ctx = benchCtx()
})
afterEach(() => ctx.dispose())

const manifest = mcManifest('errs', { taskType: 'open_ended', metrics: [{ name: 'rouge_l', main: true }] })
const tableSettings = { subcategory: 'supporting_diagnostic_decisions', taskType: 'open_ended' }
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n)

let packs = 0
function pack(instances: string, manifestText: string | Buffer = JSON.stringify(manifest)): string {
  const folder = join(ctx.dir, `pack${packs++}`)
  mkdirSync(folder)
  writeFileSync(join(folder, 'manifest.json'), manifestText)
  writeFileSync(join(folder, 'instances.jsonl'), instances)
  return folder
}

function file(name: string, content: string | Buffer): string {
  const path = join(ctx.dir, name)
  writeFileSync(path, content)
  return path
}

/** The import's error message; asserts the database was left exactly as it was. */
async function failure(req: ImportRequest): Promise<string> {
  const before = snapshot(ctx.db)
  const message = await runImport(ctx, req).then(
    () => 'imported',
    (e: Error) => `${e.name}: ${e.message}`,
  )
  expect(snapshot(ctx.db)).toEqual(before)
  return message
}

const GOOD = '{"id":"a","input":"q","references":["r"]}\n'

describe('deep nesting', () => {
  it('100,000-deep JSON is refused naming the file and line, in packs, JSONL tables and JSON documents', async () => {
    expect(
      await failure({
        format: 'pack',
        path: pack(`${GOOD}{"id":"b","input":"q","references":["r"],"metadata":{"x":${deep(100_000)}}}\n`),
      }),
    ).toBe(
      'AppError: instances.jsonl line 2: JSON nested more than 256 levels deep (objects and arrays inside each other); WardEval reads at most 256',
    )
    expect(
      await failure({
        format: 'jsonl',
        path: file('deep.jsonl', `{"question":"q","answer":"a","x":${deep(100_000)}}\n`),
        settings: tableSettings,
      }),
    ).toMatch(/^AppError: deep\.jsonl line 1: JSON nested more than 256 levels deep/)
    expect(
      await failure({
        format: 'pack',
        path: pack(GOOD, `{"id":"x",\n"description":${deep(100_000)}}`),
      }),
    ).toMatch(/^AppError: manifest\.json line 2: JSON nested more than 256 levels deep/)
    await expect(readJsonFile(file('deep.json', `{\n"data": ${deep(100_000)}}`))).rejects.toThrow(
      /^deep\.json line 2: JSON nested more than 256 levels deep/,
    )
  })

  it('nesting within the limit imports', async () => {
    const r = await runImport(ctx, {
      format: 'pack',
      path: pack(`{"id":"a","input":"q","references":["r"],"metadata":{"x":${deep(200)}}}\n`),
    })
    expect(r.instanceCount).toBe(1)
  })
})

describe('invalid XML character references', () => {
  it.each([
    ['&#x110000;', 'beyond Unicode'],
    ['&#0;', 'NUL'],
    ['&#xD800;', 'a surrogate'],
    ['&#xFFFF;', 'a non-character'],
  ])('%s (%s) is refused naming the file and line', (ref) => {
    expect(() =>
      parseXml(`<?xml version="1.0"?>\n<root>\n<q>x ${ref} y</q></root>`, '/data/questions.xml'),
    ).toThrow(`questions.xml line 3: the character reference "${ref}" is not an allowed XML character`)
  })

  it('valid references still decode', () => {
    expect(parseXml('<q>&#x41;&#66;&#x1F600;&#9;</q>', 'q.xml').text).toBe('AB\u{1F600}\t')
  })
})

describe('files that are not regular files', () => {
  it('a FIFO is refused before it is opened (it would block forever), as a table or as a pack file', async () => {
    const fifo = join(ctx.dir, 'pipe.csv')
    execFileSync('mkfifo', [fifo])
    expect(await failure({ format: 'csv', path: fifo, settings: tableSettings })).toBe(
      'AppError: pipe.csv is a FIFO (named pipe), not a regular file; import a regular file',
    )
    const folder = join(ctx.dir, 'fifo-pack')
    mkdirSync(folder)
    writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest))
    execFileSync('mkfifo', [join(folder, 'instances.jsonl')])
    expect(await failure({ format: 'pack', path: folder })).toBe(
      "AppError: instances.jsonl is a FIFO (named pipe), not a regular file; a pack's instances.jsonl must be a regular file",
    )
    const folder2 = join(ctx.dir, 'fifo-manifest')
    mkdirSync(folder2)
    execFileSync('mkfifo', [join(folder2, 'manifest.json')])
    writeFileSync(join(folder2, 'instances.jsonl'), GOOD)
    expect(await failure({ format: 'pack', path: folder2 })).toMatch(
      /^AppError: manifest\.json is a FIFO \(named pipe\), not a regular file/,
    )
  })

  it('a device is refused', async () => {
    expect(await failure({ format: 'csv', path: '/dev/null', settings: tableSettings })).toBe(
      'AppError: null is a device, not a regular file; import a regular file',
    )
  })

  it("a pack's symlink leading outside its folder is refused; one inside is followed", async () => {
    const outside = file('elsewhere.jsonl', GOOD)
    const folder = pack('')
    const link = join(folder, 'instances.jsonl')
    execFileSync('rm', [link])
    symlinkSync(outside, link)
    expect(await failure({ format: 'pack', path: folder })).toBe(
      "AppError: instances.jsonl is a symbolic link leading outside the pack's folder; a pack's files must be inside its folder",
    )
    const devLink = pack('')
    execFileSync('rm', [join(devLink, 'instances.jsonl')])
    symlinkSync('/dev/zero', join(devLink, 'instances.jsonl'))
    expect(await failure({ format: 'pack', path: devLink })).toMatch(/leading outside the pack's folder/)

    const inside = pack('')
    mkdirSync(join(inside, 'data'))
    writeFileSync(join(inside, 'data', 'all.jsonl'), GOOD)
    execFileSync('rm', [join(inside, 'instances.jsonl')])
    symlinkSync(join('data', 'all.jsonl'), join(inside, 'instances.jsonl'))
    expect((await runImport(ctx, { format: 'pack', path: inside })).instanceCount).toBe(1)
  })

  it('a folder where a file is expected is named as such', async () => {
    const folder = join(ctx.dir, 'a-folder.csv')
    mkdirSync(folder)
    expect(await failure({ format: 'csv', path: folder, settings: tableSettings })).toBe(
      'AppError: a-folder.csv is a folder; expected a file',
    )
  })
})

describe('text a pack may not hold', () => {
  it('the manifest is read with strict UTF-8, like the instances', async () => {
    const latin1 = Buffer.from(JSON.stringify({ ...manifest, description: 'Caf\u00e9 notes' }), 'latin1')
    expect(await failure({ format: 'pack', path: pack(GOOD, latin1) })).toMatch(
      /^AppError: manifest\.json line 1: invalid UTF-8 \(byte offset \d+\)/,
    )
  })

  it('lone surrogates are refused, naming the line and field', async () => {
    expect(
      await failure({
        format: 'pack',
        path: pack(`${GOOD}{"id":"b","input":"q\\ud800","references":["r"]}\n`),
      }),
    ).toBe(
      'AppError: instances.jsonl line 2: field "input": contains a lone surrogate (an unpaired \\uD800–\\uDFFF escape); text must be valid Unicode',
    )
    expect(
      await failure({
        format: 'jsonl',
        path: file('s.jsonl', '{"question":"q","answer":"a","note":{"x":["ok","\\udc00"]}}\n'),
        settings: tableSettings,
      }),
    ).toMatch(/^AppError: s\.jsonl line 1: field "note\.x\[1\]": contains a lone surrogate/)
    await expect(readJsonFile(file('s.json', '{"a": "\\ud83d"}'))).rejects.toThrow(
      /^s\.json, field "a": contains a lone surrogate/,
    )
    // A proper pair (an emoji as escapes) is fine.
    const r = await runImport(ctx, {
      format: 'pack',
      path: pack('{"id":"a","input":"q \\ud83d\\ude00","references":["r"]}\n'),
    })
    expect(instancesPage(ctx.db, { benchmarkId: r.benchmarkId, offset: 0, limit: 1 }).rows[0]!.input).toBe(
      'q \u{1F600}',
    )
  })

  it('NUL is refused everywhere: a NUL byte in any file, a \\u0000 escape in JSON', async () => {
    expect(
      await failure({
        format: 'csv',
        path: file('n.csv', 'question,answer\nq\u0000,a\n'),
        settings: tableSettings,
      }),
    ).toBe(
      'AppError: n.csv line 2: a NUL byte (byte offset 17); imported text may not hold NUL characters. Is the file UTF-16? Save it as UTF-8 and import it again.',
    )
    expect(
      await failure({ format: 'pack', path: pack('{"id":"a","input":"q","references":["r\\u0000"]}\n') }),
    ).toBe(
      'AppError: instances.jsonl line 1: field "references[0]": contains a NUL character (\\u0000), which imported text may not hold',
    )
    // A UTF-16 file is mostly NUL bytes: refused with the hint.
    expect(
      await failure({
        format: 'csv',
        path: file('utf16.csv', Buffer.from('question,answer\nq,a\n', 'utf16le')),
        settings: tableSettings,
      }),
    ).toMatch(/^AppError: utf16\.csv line 1: a NUL byte .* Is the file UTF-16\?/)
  })

  it('"__proto__" and "constructor" keys are kept as ordinary data', async () => {
    const r = await runImport(ctx, {
      format: 'pack',
      path: pack(
        '{"id":"a","input":"q","references":["r"],"metadata":{"__proto__":{"a":1},"constructor":"c"}}\n',
      ),
    })
    expect(
      JSON.stringify(
        instancesPage(ctx.db, { benchmarkId: r.benchmarkId, offset: 0, limit: 1 }).rows[0]!.metadata,
      ),
    ).toBe('{"__proto__":{"a":1},"constructor":"c"}')
    const t = await runImport(ctx, {
      format: 'jsonl',
      path: file('proto.jsonl', '{"question":"q","answer":"a","__proto__":"p","constructor":"c"}\n'),
      settings: tableSettings,
    })
    expect(
      JSON.stringify(
        instancesPage(ctx.db, { benchmarkId: t.benchmarkId, offset: 0, limit: 1 }).rows[0]!.metadata,
      ),
    ).toBe('{"__proto__":"p","constructor":"c"}')
  })
})
