/**
 * Builds WardEval's shipped data in resources/ from the read-only reference material:
 *
 *   resources/taxonomy.json   ← <shared>/reference/medhelm/taxonomy.json
 *   resources/catalog.json    ← <shared>/reference/medhelm/benchmarks.json (+ taxonomy ids)
 *   resources/samples/<id>/   ← small packs (manifest.json + instances.jsonl) of the public
 *                               datasets in <shared>/datasets whose licenses permit redistribution
 *   resources/samples/ATTRIBUTION.md
 *
 * Run:  npx tsx scripts/build-samples.ts [--shared /work/shared]
 * Deterministic: the same inputs give byte-identical outputs (documented in docs/benchmark-pack.md).
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { allInstances } from '../src/main/benchmarks/importers/chunks'
import { PUBLISHED_IMPORTERS } from '../src/main/benchmarks/importers/published'
import {
  BenchmarkManifest,
  PackInstance,
  type MetricName,
  type PackInstanceInput,
  type TaskType,
} from '../src/shared/benchmarks/pack'
import { Catalog, ShippedTaxonomy } from '../src/shared/benchmarks/taxonomy'

const args = process.argv.slice(2)
const sharedIdx = args.indexOf('--shared')
const SHARED = resolve(sharedIdx >= 0 ? args[sharedIdx + 1]! : join(__dirname, '..', '..', 'shared'))
const ROOT = resolve(__dirname, '..')
const RES = join(ROOT, 'resources')
const REF = join(SHARED, 'reference', 'medhelm')
const DATA = join(SHARED, 'datasets')

const sha256 = (buf: Buffer | string) => createHash('sha256').update(buf).digest('hex')
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'))
const inputRef = (file: string) => ({
  path: relative(SHARED, file).replaceAll('\\', '/'),
  sha256: sha256(readFileSync(file)),
})
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 80)
const unescapeNewlines = (s: string) => s.replaceAll('\\n', '\n')
const writeJson = (file: string, value: unknown) => writeFileSync(file, JSON.stringify(value, null, 2) + '\n')

// --- Taxonomy ---------------------------------------------------------------------------------

interface RefTask {
  name: string
  provenance: 'source' | 'third_party'
  source: string
}
interface RefSub {
  id: string
  name: string
  description: string | null
  description_status: string
  benchmarks: string[]
  benchmarks_in_paper_v1: string[]
  tasks: RefTask[]
  tasks_status: string
  benchmark_task_statements: { benchmark: string; what: string; provenance: string }[]
}
interface RefCat {
  id: string
  name: string
  helm_description: string
  source: string
  subcategories: RefSub[]
}
interface RefTaxonomy {
  _meta: { what: string; sources_used: string[]; notes: string[]; counts: { tasks_claimed: number } }
  categories: RefCat[]
}

function buildTaxonomy(): ShippedTaxonomy {
  const file = join(REF, 'taxonomy.json')
  const ref = readJson(file) as RefTaxonomy
  const categories = ref.categories.map((c) => ({
    id: c.id,
    name: c.name,
    description: c.helm_description,
    source: c.source,
    subcategories: c.subcategories.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      descriptionStatus: s.description_status,
      benchmarks: s.benchmarks,
      benchmarksInPaperV1: s.benchmarks_in_paper_v1,
      tasks: s.tasks.map((t) => ({
        id: slug(t.name),
        name: t.name,
        provenance: t.provenance,
        source: t.source,
      })),
      tasksStatus: s.tasks_status,
      benchmarkTaskStatements: s.benchmark_task_statements,
    })),
  }))
  const subs = categories.flatMap((c) => c.subcategories)
  return ShippedTaxonomy.parse({
    schemaVersion: 1,
    title: ref._meta.what,
    counts: {
      categories: categories.length,
      subcategories: subs.length,
      tasksClaimed: ref._meta.counts.tasks_claimed,
      tasksShipped: subs.reduce((n, s) => n + s.tasks.length, 0),
    },
    provenance: { builtFrom: [inputRef(file)], sources: ref._meta.sources_used, notes: ref._meta.notes },
    categories,
  })
}

// --- Catalog ----------------------------------------------------------------------------------

interface RefBenchmark {
  id: string
  display_name: string
  category: string
  subcategory: string
  in_paper_v1: boolean
  task_type: string
  question_type_som: 'Open' | 'Closed'
  helm_taxonomy: { task: string; what: string; who: string; when: string }
  short_description: string
  main_metric: { name: string; display_name: string; kind: string; scale: string; details?: string }
  data_access: string
  data_source: Record<string, unknown>
  instances: { evaluated_in_paper?: number | string; dataset_size_source?: string }
  prompt: {
    adapter: string
    instructions: string
    input_noun: string | null
    output_noun: string | null
    max_tokens: number
    temperature: number
    stop_sequences: string[]
    layout: string
    notes?: string
  }
  sources: string[]
}

function taskTypeOf(raw: string): TaskType {
  const t = raw.toLowerCase()
  if (t === 'numeric') return 'numeric'
  if (t === 'sql') return 'sql'
  if (t.startsWith('classification')) return 'classification'
  if (t.includes('multiple choice')) return 'multiple_choice'
  if (t.startsWith('open-ended')) return 'open_ended'
  throw new Error(`benchmarks.json: unknown task_type "${raw}"`)
}

function metricOf(kind: string): MetricName {
  const k = kind.toLowerCase()
  if (k === 'exact_match') return 'exact_match'
  if (k === 'medcalc_tolerance') return 'medcalc_accuracy'
  if (k === 'llm_jury') return 'jury'
  if (k === 'sql_execution') return 'ehrsql_execution_accuracy'
  if (k === 'binary accuracy') return 'medec_flag_accuracy'
  if (k.startsWith('micro f1')) return 'micro_f1'
  throw new Error(`benchmarks.json: unknown main_metric.kind "${kind}"`)
}

function accessOf(raw: string): 'public' | 'gated' | 'private' {
  for (const a of ['public', 'gated', 'private'] as const) if (raw.startsWith(a)) return a
  throw new Error(`benchmarks.json: unknown data_access "${raw}"`)
}

function buildCatalog(taxonomy: ShippedTaxonomy): Catalog {
  const file = join(REF, 'benchmarks.json')
  const ref = readJson(file) as {
    _meta: { generated_from: string[]; conventions: Record<string, string> }
    benchmarks: RefBenchmark[]
  }
  const catByName = new Map(taxonomy.categories.map((c) => [c.name.toLowerCase(), c]))
  const benchmarks = ref.benchmarks.map((b) => {
    const cat = catByName.get(b.category.toLowerCase())
    if (!cat) throw new Error(`benchmarks.json ${b.id}: category "${b.category}" is not in the taxonomy`)
    const sub = cat.subcategories.find((s) => s.name.toLowerCase() === b.subcategory.toLowerCase())
    if (!sub) throw new Error(`benchmarks.json ${b.id}: subcategory "${b.subcategory}" is not in ${cat.name}`)
    if (!sub.benchmarks.includes(b.id))
      throw new Error(`taxonomy.json does not place ${b.id} under ${sub.id}`)
    return {
      id: b.id,
      name: b.display_name,
      category: cat.id,
      subcategory: sub.id,
      taskType: taskTypeOf(b.task_type),
      taskTypeDetail: b.task_type,
      questionType: b.question_type_som,
      description: b.short_description,
      helmTask: b.helm_taxonomy,
      mainMetric: {
        helmName: b.main_metric.name,
        displayName: b.main_metric.display_name,
        kind: b.main_metric.kind,
        scale: b.main_metric.scale,
        details: b.main_metric.details ?? '',
        metric: metricOf(b.main_metric.kind),
      },
      access: accessOf(b.data_access),
      accessDetail: b.data_access,
      inPaperV1: b.in_paper_v1,
      dataSource: b.data_source,
      instancesEvaluated:
        typeof b.instances.evaluated_in_paper === 'number' ? b.instances.evaluated_in_paper : null,
      instancesNote: [
        typeof b.instances.evaluated_in_paper === 'string' ? b.instances.evaluated_in_paper : '',
        b.instances.dataset_size_source ?? '',
      ]
        .filter(Boolean)
        .join('; '),
      prompt: {
        adapter: b.prompt.adapter,
        instructions: b.prompt.instructions,
        inputNoun: b.prompt.input_noun ?? '',
        outputNoun: b.prompt.output_noun ?? '',
        maxTokens: b.prompt.max_tokens,
        temperature: b.prompt.temperature,
        stop: b.prompt.stop_sequences.map(unescapeNewlines),
        layout: unescapeNewlines(b.prompt.layout),
        notes: b.prompt.notes ?? '',
      },
      sources: b.sources,
    }
  })
  const placed = new Set(taxonomy.categories.flatMap((c) => c.subcategories.flatMap((s) => s.benchmarks)))
  for (const id of placed)
    if (!benchmarks.some((b) => b.id === id)) throw new Error(`taxonomy places unknown benchmark ${id}`)
  return Catalog.parse({
    schemaVersion: 1,
    title: 'MedHELM benchmarks (the paper’s 35 plus MedQA and MedMCQA)',
    provenance: {
      builtFrom: [inputRef(file)],
      sources: ref._meta.generated_from,
      notes: Object.entries(ref._meta.conventions).map(([k, v]) => `${k}: ${v}`),
    },
    benchmarks,
  })
}

// --- Sample packs -----------------------------------------------------------------------------
//
// The samples are built by the same published-dataset importers a user runs
// (src/main/benchmarks/importers/published), so a sample is an exact subset of the full import:
// same ids, same inputs, same references, same manifest (version "sample-<version>").

/** `count` items spread evenly over the whole source, so a sample shows its variety. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items]
  const step = items.length / count
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!)
}

interface SampleSpec {
  /** The published importer's format. */
  format: string
  /** The file or folder under <shared>/datasets it reads. */
  path: string
  count: number
  dataset: string
  license: string
  licenseSource: string
  /** The dataset's license text, reproduced in ATTRIBUTION.md where the license requires it (MIT). */
  licenseFile?: string
}

const SAMPLES: SampleSpec[] = [
  {
    format: 'pubmedqa',
    path: 'pubmedqa/ori_pqal.json',
    count: 30,
    dataset: 'PubMedQA (PQA-L)',
    license: 'MIT',
    licenseSource: 'pubmedqa/LICENSE, "Copyright (c) 2019 pubmedqa"',
    licenseFile: 'pubmedqa/LICENSE',
  },
  {
    format: 'medcalc-bench',
    path: 'medcalc_bench/test_data.csv',
    count: 30,
    dataset: 'MedCalc-Bench (test set)',
    license: 'CC BY-SA 4.0',
    licenseSource: 'MedCalc-Bench README, "License" section',
  },
  {
    format: 'aci-bench',
    path: 'aci_bench/challenge_data_json',
    count: 20,
    dataset: 'ACI-Bench (the three test sets)',
    license: 'CC BY 4.0',
    licenseSource: 'ACI-Bench README, "License" section',
  },
  {
    format: 'medec',
    path: 'medec/MEDEC-MS-TestSet-with-GroundTruth-and-ErrorType.csv',
    count: 30,
    dataset: 'MEDEC (MS test set)',
    license: 'CC BY 4.0',
    licenseSource: 'MEDEC README, "License" section',
  },
  {
    format: 'medhallu',
    path: 'medhallu/medhallu_pqa_labeled.jsonl',
    count: 30,
    dataset: 'MedHallu (pqa_labeled)',
    license: 'MIT',
    licenseSource: 'medhallu/LICENSE, "Copyright (c) 2025 MedHallu"',
    licenseFile: 'medhallu/LICENSE',
  },
]

async function buildSamples(): Promise<string[]> {
  const dir = join(RES, 'samples')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const attribution: string[] = [
    '# Bundled sample benchmarks — attribution',
    '',
    'WardEval ships small samples of public MedHELM datasets so a new installation shows real benchmarks',
    'at once. Each is a WardEval benchmark pack (docs/benchmark-pack.md) built by',
    '`npx tsx scripts/build-samples.ts` with the same importers as `wardeval import <format>`, from the',
    'copies in the shared datasets folder, keeping instances spread evenly over each dataset. They are',
    'samples for a first look, not the full benchmarks: import the complete datasets for evaluations.',
    '',
    'Each sample is redistributed under its dataset’s license, named below and in its manifest’s `source`.',
    '',
  ]
  const ids: string[] = []
  for (const spec of SAMPLES) {
    const importer = PUBLISHED_IMPORTERS.find((i) => i.format === spec.format)
    if (!importer) throw new Error(`no published importer for ${spec.format}`)
    const read = await importer.read(join(DATA, spec.path), {})
    const all: PackInstanceInput[] = []
    for await (const i of allInstances(read.instances)) all.push(i)
    const instances = spread(all, spec.count).map((i) => PackInstance.parse(i))
    const full = BenchmarkManifest.parse(read.manifest)
    if (full.source?.license !== spec.license)
      throw new Error(
        `${spec.format}: the importer says license "${full.source?.license}", the sample spec "${spec.license}"`,
      )
    const manifest = {
      ...read.manifest,
      version: `sample-${full.version}`,
      description: `${full.description} A ${instances.length}-instance sample of the ${all.length.toLocaleString('en-US')} bundled with WardEval for a first look; import the full dataset (\`wardeval import ${spec.format}\`) for evaluations.`,
    }
    BenchmarkManifest.parse(manifest)
    const out = join(dir, full.id)
    mkdirSync(out)
    writeJson(join(out, 'manifest.json'), manifest)
    writeFileSync(join(out, 'instances.jsonl'), instances.map((i) => JSON.stringify(i)).join('\n') + '\n')
    ids.push(full.id)
    attribution.push(
      `## ${full.name} (\`${full.id}\`) — ${instances.length} of ${all.length.toLocaleString('en-US')} instances`,
      '',
      `- Dataset: ${spec.dataset} — ${full.source?.url ?? ''}`,
      `- License: **${spec.license}** (${spec.licenseSource})`,
      `- Citation: ${full.source?.citation ?? ''}`,
      `- Built from: \`datasets/${spec.path}\` with the \`${spec.format}\` importer.`,
      ...(spec.license.includes('SA')
        ? ['- ShareAlike: this sample, a derivative, is likewise licensed CC BY-SA 4.0.']
        : []),
      '',
    )
    if (spec.licenseFile) {
      const text = readFileSync(join(DATA, spec.licenseFile), 'utf8').trim()
      attribution.push('License text:', '', ...text.split('\n').map((l) => `> ${l}`.trimEnd()), '')
    }
  }
  writeFileSync(join(dir, 'ATTRIBUTION.md'), attribution.join('\n'))
  return ids
}

async function main(): Promise<void> {
  const taxonomy = buildTaxonomy()
  writeJson(join(RES, 'taxonomy.json'), taxonomy)
  const catalog = buildCatalog(taxonomy)
  writeJson(join(RES, 'catalog.json'), catalog)
  const ids = await buildSamples()
  console.log(
    `taxonomy: ${taxonomy.counts.categories} categories, ${taxonomy.counts.subcategories} subcategories, ${taxonomy.counts.tasksShipped} tasks; ` +
      `catalog: ${catalog.benchmarks.length} benchmarks; samples: ${ids.join(', ')}`,
  )
}

void main()
