import { resolve } from 'node:path'
import { DATASETS_DIR } from '../../../support/shared'
import { expect } from 'vitest'
import { AppError } from '../../../../src/main/errors'
import { allInstances } from '../../../../src/main/benchmarks/importers/chunks'
import type { Importer, ImportOptions } from '../../../../src/main/benchmarks/importers/types'
import {
  BenchmarkManifest,
  PackInstance,
  type PackInstance as PackInstanceT,
} from '../../../../src/shared/benchmarks/pack'

/** The real published datasets (read-only, shared by the team). */
export const DATASETS = DATASETS_DIR
/** Small malformed and well-formed inputs for the published importers. */
export const FIXTURES = resolve(__dirname, '../../../fixtures/benchmarks/published')

export function fixture(name: string): string {
  return resolve(FIXTURES, name)
}

/** Runs an importer to the end and validates the manifest and every instance with the pack schemas. */
export async function importAll(importer: Importer, path: string, options: ImportOptions = {}) {
  const { manifest, instances } = await importer.read(path, options)
  const parsedManifest = BenchmarkManifest.parse(manifest)
  const parsed: PackInstanceT[] = []
  for await (const instance of allInstances(instances)) parsed.push(PackInstance.parse(instance))
  expect(new Set(parsed.map((i) => i.id)).size).toBe(parsed.length)
  return { manifest: parsedManifest, instances: parsed }
}

/** Expects the import to fail with AppError(code) whose message matches every pattern. */
export async function expectImportError(
  importer: Importer,
  path: string,
  patterns: RegExp[],
  code = 'bad_data',
): Promise<AppError> {
  let caught: unknown
  try {
    const { instances } = await importer.read(path, {})
    for await (const _ of allInstances(instances)) {
      // drain: errors in streamed sources surface while iterating
    }
  } catch (e) {
    caught = e
  }
  expect(caught, 'the import should have failed').toBeInstanceOf(AppError)
  const error = caught as AppError
  expect(error.code).toBe(code)
  for (const p of patterns) expect(error.message).toMatch(p)
  return error
}

/** The instance with `id`, failing the test when absent. */
export function byId(instances: PackInstanceT[], id: string): PackInstanceT {
  const hit = instances.find((i) => i.id === id)
  expect(hit, `instance ${id}`).toBeDefined()
  return hit!
}
