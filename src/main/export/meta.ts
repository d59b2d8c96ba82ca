import { APP_NAME, APP_VERSION } from '../app/version'

/** Where an export came from: the `meta` block of every JSON export. */
export interface ExportMeta {
  app: string
  version: string
  generatedAt: string
  /** What the export was asked for (the query as given; absent options are the defaults). */
  options: Record<string, unknown>
  /** Seed of the bootstrap and permutation draws, where statistics are part of the export. */
  seed: number | null
}

export function exportMeta(options: Record<string, unknown>, seed: number | null = null): ExportMeta {
  return { app: APP_NAME, version: APP_VERSION, generatedAt: new Date().toISOString(), options, seed }
}
