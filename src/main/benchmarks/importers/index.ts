import type { ImporterInfo } from '../../../shared/api/benchmarks'
import { AppError } from '../../errors'
import { packImporter } from './pack'
import { PUBLISHED_IMPORTERS } from './published'
import { csvImporter, jsonlImporter, tsvImporter } from './tabular'
import type { Importer } from './types'

/** Every importer, by format: the pack, the generic tables, then MedHELM's published datasets. */
export const IMPORTERS: readonly Importer[] = [
  packImporter,
  csvImporter,
  tsvImporter,
  jsonlImporter,
  ...PUBLISHED_IMPORTERS,
]

const TABULAR = new Set(['csv', 'tsv', 'jsonl'])

export function importerKind(format: string): ImporterInfo['kind'] {
  return format === 'pack' ? 'pack' : TABULAR.has(format) ? 'tabular' : 'published'
}

export function findImporter(format: string): Importer {
  const hit = IMPORTERS.find((i) => i.format === format)
  if (!hit)
    throw new AppError(
      'invalid_input',
      `unknown format "${format}"; known formats: ${IMPORTERS.map((i) => i.format).join(', ')}`,
    )
  return hit
}

export function importerInfos(): ImporterInfo[] {
  return IMPORTERS.map((i) => ({
    format: i.format,
    description: i.description,
    expects: i.expects,
    catalogId: i.catalogId ?? null,
    kind: importerKind(i.format),
  }))
}
