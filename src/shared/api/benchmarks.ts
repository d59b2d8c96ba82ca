import { z } from 'zod'
import { Access, Slug, TaskType } from '../benchmarks/pack'
import { CatalogEntry } from '../benchmarks/taxonomy'

// --- Benchmarks ---------------------------------------------------------------------------------

export const BenchmarkVersionSummary = z.object({
  id: z.number().int(),
  version: z.string(),
  contentHash: z.string(),
  instanceCount: z.number().int().nonnegative(),
  sourceFormat: z.string(),
  sourceName: z.string(),
  importedAt: z.string(),
})
export type BenchmarkVersionSummary = z.infer<typeof BenchmarkVersionSummary>

export const BenchmarkSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  categoryId: z.string().nullable(),
  subcategoryId: z.string().nullable(),
  subcategoryName: z.string().nullable(),
  taskId: z.string().nullable(),
  taskType: TaskType,
  access: Access,
  /** The MedHELM catalog entry with this id, if any. */
  catalogId: z.string().nullable(),
  /** True while the latest version is a bundled sample (resources/samples). */
  sample: z.boolean(),
  createdAt: z.string(),
  latest: BenchmarkVersionSummary,
  versionCount: z.number().int().positive(),
})
export type BenchmarkSummary = z.infer<typeof BenchmarkSummary>

export const BenchmarkDetail = BenchmarkSummary.extend({
  versions: z.array(BenchmarkVersionSummary),
  /** The latest version's manifest (validated pack manifest JSON). */
  manifest: z.record(z.string(), z.unknown()),
})
export type BenchmarkDetail = z.infer<typeof BenchmarkDetail>

export const InstanceRow = z.object({
  ordinal: z.number().int().nonnegative(),
  id: z.string(),
  split: z.string(),
  input: z.string(),
  choices: z.array(z.string()).nullable(),
  references: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()),
})
export type InstanceRow = z.infer<typeof InstanceRow>

export const InstancesQuery = z.object({
  benchmarkId: z.string().min(1),
  /** A version string; default the latest. */
  version: z.string().optional(),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(1).max(500).default(100),
  /** Case-insensitive text found in the id, input or references. */
  search: z.string().max(200).optional(),
})

export const InstancesPage = z.object({
  benchmarkId: z.string(),
  version: z.string(),
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  rows: z.array(InstanceRow),
})
export type InstancesPage = z.infer<typeof InstancesPage>

// --- Import ------------------------------------------------------------------------------------

export const ImporterInfo = z.object({
  format: z.string(),
  description: z.string(),
  expects: z.string(),
  catalogId: z.string().nullable(),
  /** 'pack': a WardEval pack; 'tabular': CSV/TSV/JSONL with a column mapping; 'published': a MedHELM dataset as published. */
  kind: z.enum(['pack', 'tabular', 'published']),
})
export type ImporterInfo = z.infer<typeof ImporterInfo>

/**
 * The fields of a column mapping. Each names its column(s) as a list (the app), or in the CLI's
 * `--map` syntax as one string (`input` joins columns with `+`, the others separate them with `|`;
 * `metadata` also takes `*`, every other column, and `-`, none).
 */
export const MAP_FIELDS = ['input', 'reference', 'id', 'choices', 'split', 'metadata'] as const
export const ColumnMap = z.partialRecord(
  z.enum(MAP_FIELDS),
  z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
)
export type ColumnMap = z.infer<typeof ColumnMap>

/** Manifest settings for a tabular import (the CLI's --name, --subcategory, …). */
export const ImportSettings = z.record(z.string(), z.string())

export const ImportRequest = z.object({
  format: z.string().min(1),
  path: z.string().min(1),
  benchmarkId: Slug.optional(),
  map: ColumnMap.optional(),
  settings: ImportSettings.optional(),
})
export type ImportRequest = z.infer<typeof ImportRequest>

export const ImportStartRequest = ImportRequest.extend({
  /** Chosen by the renderer so it can follow `job:progress` events for this import. */
  jobId: z.string().min(1).max(100),
})

export const ImportResult = z.object({
  benchmarkId: z.string(),
  name: z.string(),
  version: z.string(),
  instanceCount: z.number().int().nonnegative(),
  contentHash: z.string(),
  /** True when this exact version and content were already in the database (nothing was written). */
  alreadyImported: z.boolean(),
  durationMs: z.number().nonnegative(),
})
export type ImportResult = z.infer<typeof ImportResult>

export const PreviewIssue = z.object({
  line: z.number().int().nullable(),
  field: z.string(),
  message: z.string(),
})
export type PreviewIssue = z.infer<typeof PreviewIssue>

export const ImportPreview = z.object({
  format: z.string(),
  kind: ImporterInfo.shape.kind,
  fileName: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  /** Tabular formats: the header's columns (CSV/TSV) or the first records' fields (JSONL). */
  columns: z.array(z.string()),
  /** Tabular formats: the first rows as read, column → text. */
  rows: z.array(z.record(z.string(), z.string())),
  /** Tabular formats: the mapping WardEval would use (the given one, else guessed from the column names). */
  map: z.record(z.string(), z.string()),
  /** Tabular formats: the same mapping as column lists, null until input and reference are mapped. */
  resolved: z
    .object({
      input: z.array(z.string()),
      reference: z.array(z.string()),
      id: z.string().nullable(),
      choices: z.array(z.string()),
      split: z.string().nullable(),
      metadata: z.array(z.string()),
    })
    .nullable(),
  /** The exact prompt a model will receive for the first instances (when the manifest is complete). */
  prompts: z.array(z.object({ id: z.string(), prompt: z.string() })),
  /** The manifest the import would store, when it could be built. */
  manifest: z.record(z.string(), z.unknown()).nullable(),
  /** The first instances as they would be stored. */
  instances: z.array(InstanceRow),
  /** Problems found in the previewed part, by line; the import itself checks every line. */
  issues: z.array(PreviewIssue),
})
export type ImportPreview = z.infer<typeof ImportPreview>

// --- Taxonomy ----------------------------------------------------------------------------------

export const CoverageBenchmark = z.object({
  id: z.string(),
  name: z.string(),
  access: Access,
  taskType: TaskType,
  /** In MedHELM's catalog for this subcategory. */
  inCatalog: z.boolean(),
  loaded: z.boolean(),
  sample: z.boolean(),
  /** Instances in the latest loaded version (0 when not loaded). */
  instanceCount: z.number().int().nonnegative(),
  version: z.string().nullable(),
})
export type CoverageBenchmark = z.infer<typeof CoverageBenchmark>

export const TaxonomyTask = z.object({
  id: z.string(),
  name: z.string(),
  /** 'shipped': from resources/taxonomy.json; 'local': added on this machine. */
  origin: z.enum(['shipped', 'local']),
  /** A shipped task renamed or moved locally. */
  edited: z.boolean(),
  shippedName: z.string().nullable(),
  provenance: z.string(),
  /** Benchmarks mapped to this task (catalog or loaded ids). */
  benchmarkIds: z.array(z.string()),
  /** At least one mapped benchmark is loaded. */
  covered: z.boolean(),
})
export type TaxonomyTask = z.infer<typeof TaxonomyTask>

export const TaxonomySubcategory = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  /** What the subcategory holds, in plain words (WardEval's guidance, not MedHELM's definition). */
  summary: z.string(),
  /** Example tasks a hospital might evaluate here. */
  examples: z.array(z.string()),
  /** What MedHELM's benchmarks in this subcategory test, one line each. */
  benchmarkTasks: z.array(z.object({ benchmark: z.string(), what: z.string() })),
  covered: z.boolean(),
  loadedBenchmarkCount: z.number().int().nonnegative(),
  instanceCount: z.number().int().nonnegative(),
  benchmarks: z.array(CoverageBenchmark),
  tasks: z.array(TaxonomyTask),
  tasksStatus: z.string(),
})
export type TaxonomySubcategory = z.infer<typeof TaxonomySubcategory>

export const TaxonomyCategory = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  subcategories: z.array(TaxonomySubcategory),
})
export type TaxonomyCategory = z.infer<typeof TaxonomyCategory>

export const TaxonomyView = z.object({
  title: z.string(),
  tasksClaimed: z.number().int(),
  categories: z.array(TaxonomyCategory),
  totals: z.object({
    subcategories: z.number().int(),
    coveredSubcategories: z.number().int(),
    tasks: z.number().int(),
    coveredTasks: z.number().int(),
    loadedBenchmarks: z.number().int(),
    instances: z.number().int(),
  }),
  provenance: z.array(z.string()),
})
export type TaxonomyView = z.infer<typeof TaxonomyView>

const TaskName = z.string().trim().min(1).max(200)

export const benchmarksContract = {
  'taxonomy:get': { input: z.undefined(), output: TaxonomyView },
  'taxonomy:add-task': {
    input: z.object({ subcategoryId: z.string().min(1), name: TaskName }).strict(),
    output: TaxonomyTask,
  },
  /** Rename a task and/or move it to another subcategory (shipped tasks get a local override). */
  'taxonomy:update-task': {
    input: z
      .object({
        taskId: z.string().min(1),
        name: TaskName.optional(),
        subcategoryId: z.string().min(1).optional(),
      })
      .strict(),
    output: TaxonomyTask,
  },
  /** Remove a local task, or undo the local edits of a shipped task. */
  'taxonomy:remove-task': {
    input: z.object({ taskId: z.string().min(1) }).strict(),
    output: z.object({ removed: z.boolean() }),
  },
  'taxonomy:map-task': {
    input: z
      .object({ taskId: z.string().min(1), benchmarkId: z.string().min(1), mapped: z.boolean() })
      .strict(),
    output: TaxonomyTask,
  },
  'benchmarks:catalog': { input: z.undefined(), output: z.array(CatalogEntry) },
  'benchmarks:list': { input: z.undefined(), output: z.array(BenchmarkSummary) },
  'benchmarks:get': { input: z.object({ id: z.string().min(1) }).strict(), output: BenchmarkDetail },
  'benchmarks:instances': { input: InstancesQuery.strict(), output: InstancesPage },
  /** The runs and review sets that use a benchmark: shown before a deletion, which they prevent. */
  'benchmarks:usage': {
    input: z.object({ id: z.string().min(1) }).strict(),
    output: z.object({
      runs: z.array(
        z.object({
          id: z.number().int(),
          name: z.string(),
          status: z.string(),
          createdAt: z.string(),
          models: z.array(z.string()),
        }),
      ),
      reviewSets: z.array(
        z.object({
          id: z.number().int(),
          runId: z.number().int(),
          size: z.number().int(),
          createdAt: z.string(),
        }),
      ),
    }),
  },
  'benchmarks:delete': {
    input: z.object({ id: z.string().min(1) }).strict(),
    output: z.object({ deleted: z.boolean() }),
  },
  /** Installs the bundled samples that are missing (the user asked for them back). */
  'benchmarks:restore-samples': { input: z.undefined(), output: z.object({ restored: z.array(z.string()) }) },
  'benchmarks:formats': { input: z.undefined(), output: z.array(ImporterInfo) },
  /**
   * Asks the host for a native file chooser. The Electron root injects one; where none exists
   * (browser tests, headless) `available` is false and the user types the path instead.
   */
  'benchmarks:pick-file': {
    input: z
      .object({
        directory: z.boolean().default(false),
        /** Only ask whether a chooser exists; open nothing. */
        probe: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ available: z.boolean(), path: z.string().nullable() }),
  },
  'benchmarks:preview': { input: ImportRequest.strict(), output: ImportPreview },
  'benchmarks:import': { input: ImportStartRequest.strict(), output: ImportResult },
} as const

export const benchmarksEvents = {} as const
