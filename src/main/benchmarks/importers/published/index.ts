import type { Importer } from '../types'

/** Importers for MedHELM's public datasets in their published formats. */
export const PUBLISHED_IMPORTERS: readonly Importer[] = []
