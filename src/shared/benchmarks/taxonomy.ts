import { z } from 'zod'
import { Access, MetricName, Slug, TaskType } from './pack'

/**
 * The shipped data files in resources/: the MedHELM taxonomy (taxonomy.json) and the catalog of
 * MedHELM's benchmarks (catalog.json). Both are built by scripts/build-samples.ts from
 * ../shared/reference/medhelm and keep the provenance of every field. Main validates them on
 * load; the renderer receives them through the benchmarks API.
 */

export const Provenance = z.object({
  /** Where the file was built from (repository-relative paths and sha256 of the inputs). */
  builtFrom: z.array(z.object({ path: z.string(), sha256: z.string() })),
  /** The upstream sources the reference material cites. */
  sources: z.array(z.string()),
  notes: z.array(z.string()),
})

export const ShippedTask = z.object({
  id: Slug,
  name: z.string().min(1),
  /** 'source': MedHELM's own repository; 'third_party': cited by an independent publication. */
  provenance: z.enum(['source', 'third_party']),
  source: z.string(),
})
export type ShippedTask = z.infer<typeof ShippedTask>

export const BenchmarkTaskStatement = z.object({
  benchmark: z.string(),
  what: z.string(),
  provenance: z.string(),
})

export const ShippedSubcategory = z.object({
  id: Slug,
  name: z.string().min(1),
  description: z.string().nullable(),
  descriptionStatus: z.string(),
  /** MedHELM benchmarks placed here (catalog ids), in HELM's order. */
  benchmarks: z.array(z.string()),
  benchmarksInPaperV1: z.array(z.string()),
  tasks: z.array(ShippedTask),
  tasksStatus: z.string(),
  benchmarkTaskStatements: z.array(BenchmarkTaskStatement),
})
export type ShippedSubcategory = z.infer<typeof ShippedSubcategory>

export const ShippedCategory = z.object({
  id: Slug,
  name: z.string().min(1),
  description: z.string(),
  source: z.string(),
  subcategories: z.array(ShippedSubcategory).min(1),
})
export type ShippedCategory = z.infer<typeof ShippedCategory>

export const ShippedTaxonomy = z.object({
  schemaVersion: z.literal(1),
  title: z.string(),
  counts: z.object({
    categories: z.number().int(),
    subcategories: z.number().int(),
    tasksClaimed: z.number().int(),
    tasksShipped: z.number().int(),
  }),
  provenance: Provenance,
  categories: z.array(ShippedCategory).min(1),
})
export type ShippedTaxonomy = z.infer<typeof ShippedTaxonomy>

/** resources/taxonomy-guide.json: WardEval's plain-language guidance per subcategory. */
export const TaxonomyGuide = z.object({
  about: z.string(),
  subcategories: z.record(
    z.string(),
    z.object({ summary: z.string().min(1), examples: z.array(z.string().min(1)).min(1) }),
  ),
})
export type TaxonomyGuide = z.infer<typeof TaxonomyGuide>

export const CatalogMetric = z.object({
  /** HELM's metric name (e.g. 'medcalc_bench_accuracy'). */
  helmName: z.string(),
  displayName: z.string(),
  kind: z.string(),
  scale: z.string(),
  details: z.string(),
  /** The WardEval scorer that implements it. */
  metric: MetricName,
})

export const CatalogPrompt = z.object({
  adapter: z.string(),
  instructions: z.string(),
  inputNoun: z.string(),
  outputNoun: z.string(),
  maxTokens: z.number().int().positive(),
  temperature: z.number(),
  stop: z.array(z.string()),
  layout: z.string(),
  notes: z.string(),
})

export const CatalogEntry = z.object({
  id: Slug,
  name: z.string(),
  category: Slug,
  subcategory: Slug,
  taskType: TaskType,
  /** The task type as the reference material words it (e.g. 'closed-ended multiple choice'). */
  taskTypeDetail: z.string(),
  questionType: z.enum(['Open', 'Closed']),
  description: z.string(),
  helmTask: z.object({ task: z.string(), what: z.string(), who: z.string(), when: z.string() }),
  mainMetric: CatalogMetric,
  access: Access,
  /** The access note as the reference material words it (e.g. 'gated (PhysioNet, credentialed)'). */
  accessDetail: z.string(),
  inPaperV1: z.boolean(),
  /** Where the data comes from (type, dataset/repository/url, split, notes), as recorded upstream. */
  dataSource: z.record(z.string(), z.unknown()),
  /** Test instances MedHELM evaluated (null when the source gives no single number; see instancesNote). */
  instancesEvaluated: z.number().int().nullable(),
  instancesNote: z.string(),
  prompt: CatalogPrompt,
  sources: z.array(z.string()),
})
export type CatalogEntry = z.infer<typeof CatalogEntry>

export const Catalog = z.object({
  schemaVersion: z.literal(1),
  title: z.string(),
  provenance: Provenance,
  benchmarks: z.array(CatalogEntry).min(1),
})
export type Catalog = z.infer<typeof Catalog>
