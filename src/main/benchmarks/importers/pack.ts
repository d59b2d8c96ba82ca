import { lstat, realpath, stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative } from 'node:path'
import {
  PackInstance,
  type BenchmarkManifestInput,
  type PackInstanceInput,
} from '../../../shared/benchmarks/pack'
import { AppError } from '../../errors'
import { depthProblem, parseJsonLine, stringProblem } from './json-checks'
import { badData, entryKind, readLines, readTextFile, unreadable } from './text'
import type { Importer, ImportOptions, ImportedBenchmark, InstanceChunk, SourcePosition } from './types'
import { inChunks } from './chunks'
import { jsonSyntaxMessage } from '../../json/syntax-error'

/**
 * The WardEval benchmark pack on disk (docs/benchmark-pack.md): a folder holding
 *   manifest.json     the manifest (BenchmarkManifest)
 *   instances.jsonl   one instance (PackInstance) per line, UTF-8
 * The path may name the folder or its manifest.json.
 */

import { INSTANCES_FILE, MANIFEST_FILE } from './pack-files'

export { INSTANCES_FILE, MANIFEST_FILE }

/** Fields of a pack instance; anything else on a line is reported as a likely typo. */
const INSTANCE_FIELDS = new Set(Object.keys(PackInstance.shape))

async function packFolder(path: string): Promise<string> {
  let st
  try {
    st = await stat(path)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new AppError('not_found', `pack not found: ${path}`)
    throw unreadable(path, e)
  }
  if (st.isDirectory()) return path
  if (basename(path) === MANIFEST_FILE) return dirname(path)
  throw badData(
    `${basename(path)}: a pack is a folder holding ${MANIFEST_FILE} and ${INSTANCES_FILE} (choose the folder or its ${MANIFEST_FILE})`,
  )
}

/**
 * A file of the pack, checked before it is opened: it exists, is a regular file (not a FIFO, a
 * device or a folder), and when it is a symbolic link, leads to a file inside the pack's folder.
 */
export async function packMember(folder: string, name: string): Promise<string> {
  const file = join(folder, name)
  let st
  try {
    st = await lstat(file)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new AppError('not_found', `${name} not found in ${folder}`)
    throw unreadable(file, e)
  }
  if (st.isSymbolicLink()) {
    let target: string
    try {
      target = await realpath(file)
      st = await stat(file)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw badData(`${name} is a symbolic link to a file that does not exist`)
      throw unreadable(file, e)
    }
    const inside = relative(await realpath(folder), target)
    if (inside.startsWith('..') || isAbsolute(inside))
      throw badData(
        `${name} is a symbolic link leading outside the pack's folder; a pack's files must be inside its folder`,
      )
  }
  if (!st.isFile())
    throw badData(`${name} is ${entryKind(st)}, not a regular file; a pack's ${name} must be a regular file`)
  return file
}

/** The manifest, read with the same strict UTF-8 and JSON checks as the instances. */
export async function readManifest(file: string): Promise<BenchmarkManifestInput> {
  await packMember(dirname(file), basename(file))
  const text = await readTextFile(file)
  if (text.trim() === '') throw badData(`${basename(file)} is empty`)
  const deep = depthProblem(text)
  if (deep) throw badData(`${basename(file)} line ${lineAt(text, deep.offset!)}: ${deep.message}`)
  try {
    const value: unknown = JSON.parse(text)
    const bad = stringProblem(text, value)
    if (bad) throw badData(`${basename(file)}: ${bad.field ? `field "${bad.field}": ` : ''}${bad.message}`)
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw badData(`${basename(file)}: expected a JSON object`)
    return value as BenchmarkManifestInput
  } catch (e) {
    if (e instanceof AppError) throw e
    throw badData(`${basename(file)}: ${jsonSyntaxMessage(text.replace(/^\uFEFF/, ''))}`)
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++
  return line
}

/** Instances of a JSONL file, one JSON object per line (blank lines skipped), in chunks, with their line numbers. */
export function jsonlInstances(
  file: string,
  onProgress: ImportOptions['onProgress'],
  strictFields: boolean,
): AsyncIterable<InstanceChunk> {
  const name = basename(file)
  let current: SourcePosition | null = null
  async function* gen(): AsyncGenerator<PackInstanceInput> {
    for await (const { text, line, last } of readLines(file, onProgress)) {
      if (text.trim() === '') continue
      current = { file: name, line }
      const value = parseJsonLine(text, name, line, last)
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw badData(`${name} line ${line}: expected a JSON object, one instance per line`, [
          { path: [name, line], message: 'not an object' },
        ])
      if (strictFields) {
        const unknown = Object.keys(value).filter((k) => !INSTANCE_FIELDS.has(k))
        if (unknown.length)
          throw badData(
            `${name} line ${line}: field "${unknown[0]}": unknown field (an instance has ${[...INSTANCE_FIELDS].join(', ')}; put anything else in metadata)`,
            [{ path: [name, line, unknown[0]!], message: 'unknown field' }],
          )
      }
      yield value as PackInstanceInput
    }
  }
  return inChunks(gen(), () => current)
}

export async function readPack(path: string, options: ImportOptions): Promise<ImportedBenchmark> {
  const folder = await packFolder(path)
  const manifest = await readManifest(join(folder, MANIFEST_FILE))
  if (options.benchmarkId) manifest.id = options.benchmarkId
  if (options.settings?.version) manifest.version = options.settings.version
  const instancesFile = await packMember(folder, INSTANCES_FILE)
  const instances = jsonlInstances(instancesFile, options.onProgress, true)
  return { manifest, instances, manifestSource: MANIFEST_FILE }
}

export const packImporter: Importer = {
  format: 'pack',
  description:
    'A WardEval benchmark pack: a folder with manifest.json and instances.jsonl (docs/benchmark-pack.md).',
  expects: 'the pack folder, or its manifest.json',
  read: readPack,
}
