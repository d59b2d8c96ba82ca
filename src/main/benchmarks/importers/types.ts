import type { BenchmarkManifestInput, PackInstanceInput } from '../../../shared/benchmarks/pack'

/** Options an importer receives from the CLI (`--benchmark`, `--map`, …) or the import wizard. */
export interface ImportOptions {
  /** Override the benchmark id (`--benchmark <id>`). */
  benchmarkId?: string
  /** Column mapping for the generic importer (`--map input=col,reference=col,...`). */
  map?: Record<string, string>
  /** Extra importer-specific settings (e.g. a split name, a version). */
  settings?: Record<string, string>
  /** Called as the source is read (bytes read so far, total bytes when known). */
  onProgress?: (read: number, total: number | null) => void
}

/** What an importer yields: the manifest, and instances streamed in file order, a chunk at a time. */
export interface ImportedBenchmark {
  manifest: BenchmarkManifestInput
  instances: AsyncIterable<InstanceChunk>
  /** Where the manifest came from, for error messages ('manifest.json', 'catalog entry medec'). */
  manifestSource?: string
}

/**
 * Instances read together, in file order (a table's rows from one read of the file). The consumer
 * takes them one by one, synchronously: one await per chunk rather than per instance, which in a
 * large import cost the import worker ~15 % of its time. An instance may be built only when it is
 * taken (a table's row stays its fields until then, so a chunk never holds built instances), and
 * an error in building it is thrown then, after the instances before it were taken.
 */
export interface InstanceChunk {
  readonly length: number
  /** The i-th instance of the chunk (0 ≤ i < length); ask for each once, in order. */
  instance(i: number): PackInstanceInput
  /**
   * Where the i-th instance came from (file name and 1-based line), so the store can name the line
   * when it fails validation; null when the importer does not tell (errors then name the
   * instance's position and id).
   */
  position(i: number): SourcePosition | null
}

export interface SourcePosition {
  file: string
  line: number
}

/**
 * An importer turns a published file (or folder) into a WardEval benchmark the way MedHELM's
 * scenario builds its instances. It never writes to the database: the caller validates every
 * instance and stores all of them in one transaction. On malformed input it throws
 * AppError('bad_data', …) naming the file, line and field.
 */
export interface Importer {
  /** The `<format>` of `import <format> <path>`: 'pubmedqa', 'medcalc-bench', 'csv', … */
  format: string
  /** One line for `import --help` and the import wizard. */
  description: string
  /** What the user should point the importer at (a file, a folder, which file of a release). */
  expects: string
  /** The MedHELM catalog id this importer builds (resources/catalog.json), if any. */
  catalogId?: string
  read(path: string, options: ImportOptions): Promise<ImportedBenchmark>
}
