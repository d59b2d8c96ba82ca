import { readFile, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import {
  PackInstance,
  type BenchmarkManifestInput,
  type PackInstanceInput,
} from '../../../shared/benchmarks/pack'
import { AppError } from '../../errors'
import { badData, readLines } from './text'
import type { Importer, ImportOptions, ImportedBenchmark, SourcePosition } from './types'
import { jsonLineMessage, jsonSyntaxMessage } from '../../json/syntax-error'

/**
 * The WardEval benchmark pack on disk (docs/benchmark-pack.md): a folder holding
 *   manifest.json     the manifest (BenchmarkManifest)
 *   instances.jsonl   one instance (PackInstance) per line, UTF-8
 * The path may name the folder or its manifest.json.
 */

export const MANIFEST_FILE = 'manifest.json'
export const INSTANCES_FILE = 'instances.jsonl'

/** Fields of a pack instance; anything else on a line is reported as a likely typo. */
const INSTANCE_FIELDS = new Set(Object.keys(PackInstance.shape))

async function packFolder(path: string): Promise<string> {
  let st
  try {
    st = await stat(path)
  } catch {
    throw new AppError('not_found', `pack not found: ${path}`)
  }
  if (st.isDirectory()) return path
  if (basename(path) === MANIFEST_FILE) return dirname(path)
  throw badData(
    `${basename(path)}: a pack is a folder holding ${MANIFEST_FILE} and ${INSTANCES_FILE} (choose the folder or its ${MANIFEST_FILE})`,
  )
}

export async function readManifest(file: string): Promise<BenchmarkManifestInput> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new AppError('not_found', `${basename(file)} not found in ${dirname(file)}`)
    throw e
  }
  if (text.trim() === '') throw badData(`${basename(file)} is empty`)
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''))
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw badData(`${basename(file)}: expected a JSON object`)
    return value as BenchmarkManifestInput
  } catch (e) {
    if (e instanceof AppError) throw e
    throw badData(`${basename(file)}: ${jsonSyntaxMessage(text.replace(/^\uFEFF/, ''))}`)
  }
}

/** Instances of a JSONL file, one JSON object per line (blank lines skipped), with their line numbers. */
export function jsonlInstances(
  file: string,
  onProgress: ImportOptions['onProgress'],
  strictFields: boolean,
): { instances: AsyncIterable<PackInstanceInput>; position: () => SourcePosition | null } {
  const name = basename(file)
  let current: SourcePosition | null = null
  async function* gen(): AsyncGenerator<PackInstanceInput> {
    for await (const { text, line, last } of readLines(file, onProgress)) {
      if (text.trim() === '') continue
      current = { file: name, line }
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch {
        throw badData(`${name} line ${line}: ${jsonLineMessage(text, last)}`, [
          { path: [name, line], message: 'invalid JSON' },
        ])
      }
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
  return { instances: gen(), position: () => current }
}

export async function readPack(path: string, options: ImportOptions): Promise<ImportedBenchmark> {
  const folder = await packFolder(path)
  const manifest = await readManifest(join(folder, MANIFEST_FILE))
  if (options.benchmarkId) manifest.id = options.benchmarkId
  if (options.settings?.version) manifest.version = options.settings.version
  const instancesFile = join(folder, INSTANCES_FILE)
  try {
    await stat(instancesFile)
  } catch {
    throw new AppError('not_found', `${INSTANCES_FILE} not found in ${folder}`)
  }
  const { instances, position } = jsonlInstances(instancesFile, options.onProgress, true)
  return { manifest, instances, position, manifestSource: MANIFEST_FILE }
}

export const packImporter: Importer = {
  format: 'pack',
  description:
    'A WardEval benchmark pack: a folder with manifest.json and instances.jsonl (docs/benchmark-pack.md).',
  expects: 'the pack folder, or its manifest.json',
  read: readPack,
}
