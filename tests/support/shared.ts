import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

/**
 * The team's read-only reference material (public MedHELM datasets and facts), which sits beside
 * the repository as `../shared` (in CI too). WARDEVAL_SHARED points elsewhere when needed.
 */
function findShared(): string {
  const candidates = [process.env.WARDEVAL_SHARED, resolve(__dirname, '../../../shared')].filter(
    (c): c is string => !!c,
  )
  const found = candidates.find((c) => existsSync(join(c, 'datasets')))
  if (!found)
    throw new Error(
      `The shared reference folder was not found (looked in ${candidates.join(', ')}); set WARDEVAL_SHARED.`,
    )
  return found
}

export const SHARED_DIR = findShared()
export const DATASETS_DIR = join(SHARED_DIR, 'datasets')
export const MEDHELM_REFERENCE_DIR = join(SHARED_DIR, 'reference', 'medhelm')
