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
import { parse } from 'csv-parse/sync'
import {
  BenchmarkManifest,
  PackInstance,
  optionLetter,
  type BenchmarkManifestInput,
  type MetricName,
  type PackInstanceInput,
  type TaskType,
} from '../src/shared/benchmarks/pack'
import { Catalog, ShippedTaxonomy, type CatalogEntry } from '../src/shared/benchmarks/taxonomy'

const args = process.argv.slice(2)
const sharedIdx = args.indexOf('--shared')
const SHARED = resolve(sharedIdx >= 0 ? args[sharedIdx + 1]! : '/work/shared')
const ROOT = resolve(__dirname, '..')
const RES = join(ROOT, 'resources')
const REF = join(SHARED, 'reference', 'medhelm')
const DATA = join(SHARED, 'datasets')

const sha256 = (buf: Buffer | string) => createHash('sha256').update(buf).digest('hex')
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'))
const inputRef = (file: string) => ({ path: relative(SHARED, file).replaceAll('\\', '/'), sha256: sha256(readFileSync(file)) })
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 80)
const unescapeNewlines = (s: string) => s.replaceAll('\\n', '\n')
const writeJson = (file: string, value: unknown) => writeFileSync(file, JSON.stringify(value, null, 2) + '\n')

// --- Taxonomy ---------------------------------------------------------------------------------

interface RefTask { name: string; provenance: 'source' | 'third_party'; source: string }
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
interface RefCat { id: string; name: string; helm_description: string; source: string; subcategories: RefSub[] }
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
      tasks: s.tasks.map((t) => ({ id: slug(t.name), name: t.name, provenance: t.provenance, source: t.source })),
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
  const ref = readJson(file) as { _meta: { generated_from: string[]; conventions: Record<string, string> }; benchmarks: RefBenchmark[] }
  const catByName = new Map(taxonomy.categories.map((c) => [c.name.toLowerCase(), c]))
  const benchmarks = ref.benchmarks.map((b) => {
    const cat = catByName.get(b.category.toLowerCase())
    if (!cat) throw new Error(`benchmarks.json ${b.id}: category "${b.category}" is not in the taxonomy`)
    const sub = cat.subcategories.find((s) => s.name.toLowerCase() === b.subcategory.toLowerCase())
    if (!sub) throw new Error(`benchmarks.json ${b.id}: subcategory "${b.subcategory}" is not in ${cat.name}`)
    if (!sub.benchmarks.includes(b.id)) throw new Error(`taxonomy.json does not place ${b.id} under ${sub.id}`)
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
      instancesEvaluated: typeof b.instances.evaluated_in_paper === 'number' ? b.instances.evaluated_in_paper : null,
      instancesNote: [typeof b.instances.evaluated_in_paper === 'string' ? b.instances.evaluated_in_paper : '', b.instances.dataset_size_source ?? '']
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
  for (const id of placed) if (!benchmarks.some((b) => b.id === id)) throw new Error(`taxonomy places unknown benchmark ${id}`)
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

/** Every `count`-th item, spread evenly over the whole source so samples show its variety. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items]
  const step = items.length / count
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!)
}

/** Python's repr() of a list of strings, as HELM's f-strings print it. */
function pyListRepr(items: string[]): string {
  const one = (s: string) => {
    const q = s.includes("'") && !s.includes('"') ? '"' : "'"
    const body = s
      .replaceAll('\\', '\\\\')
      .replaceAll('\n', '\\n')
      .replaceAll('\r', '\\r')
      .replaceAll('\t', '\\t')
    return q + (q === "'" ? body.replaceAll("'", "\\'") : body) + q
  }
  return `[${items.map(one).join(', ')}]`
}

const JURY_CRITERIA = [
  { id: 'accuracy', name: 'Accuracy', description: 'Is the clinical content correct, given the source and current guidelines?' },
  { id: 'completeness', name: 'Completeness', description: 'Does the output include every important detail the task needs?' },
  { id: 'clarity', name: 'Clarity', description: 'Is it easy to understand for the intended reader?' },
]

interface SampleSpec {
  catalogId: string
  dataset: string
  license: string
  licenseSource: string
  /** The dataset's license text, reproduced in ATTRIBUTION.md where the license requires it (MIT). */
  licenseFile?: string
  files: string[]
  upstream: string
  citation: string
  build: () => PackInstanceInput[]
  metrics: { name: MetricName; main?: boolean }[]
  template: (entry: CatalogEntry) => string
  note: string
}

const SAMPLE_SIZE = 30

function manifestFor(spec: SampleSpec, entry: CatalogEntry, count: number): BenchmarkManifestInput {
  return {
    id: entry.id,
    name: entry.name,
    version: 'sample-1',
    description: `${entry.description} A ${count}-instance sample bundled with WardEval for a first look; import the full dataset for real evaluations. ${spec.note}`,
    taxonomy: { category: entry.category, subcategory: entry.subcategory },
    access: entry.access,
    taskType: entry.taskType,
    prompt: {
      // The catalog paraphrases HELM's longest instructions and marks them "(long…, summarized)".
      instructions: entry.prompt.instructions.replace(/^\(long[^)]*summarized\)\s*/, ''),
      template: spec.template(entry),
      outputNoun: entry.prompt.outputNoun,
      maxTokens: entry.prompt.maxTokens,
      temperature: entry.prompt.temperature,
      stop: entry.prompt.stop,
    },
    metrics: spec.metrics,
    ...(spec.metrics.some((m) => m.name === 'jury') ? { jury: { criteria: JURY_CRITERIA } } : {}),
    source: { name: spec.dataset, url: spec.upstream, license: spec.license, citation: spec.citation, commit: '' },
  }
}

const withNoun = (noun: string, body: string) => (noun ? `${noun}: ${body}` : body)
const genericTemplate = (e: CatalogEntry) => `{{instructions}}\n\n${withNoun(e.prompt.inputNoun, '{{input}}')}`
const mcTemplate = (e: CatalogEntry) => `{{instructions}}\n\n${withNoun(e.prompt.inputNoun, '{{input}}')}\n{{choices}}`

const SAMPLES: SampleSpec[] = [
  {
    catalogId: 'pubmed_qa',
    dataset: 'PubMedQA (PQA-L)',
    license: 'MIT',
    licenseSource: 'pubmedqa/LICENSE ("Copyright (c) 2019 pubmedqa")',
    licenseFile: 'pubmedqa/LICENSE',
    files: ['pubmedqa/ori_pqal.json'],
    upstream: 'https://github.com/pubmedqa/pubmedqa',
    citation: 'Jin et al., PubMedQA: A Dataset for Biomedical Research Question Answering, EMNLP 2019.',
    note: 'Instances are built as HELM does: the labelled contexts, the question, and the options yes/no/maybe.',
    metrics: [{ name: 'exact_match', main: true }],
    template: mcTemplate,
    build() {
      const file = join(DATA, 'pubmedqa', 'ori_pqal.json')
      const data = readJson(file) as Record<string, { QUESTION: string; CONTEXTS: string[]; LABELS: string[]; final_decision: string; YEAR: string | null; MESHES: string[] }>
      const choices = ['yes', 'no', 'maybe']
      return spread(Object.entries(data), SAMPLE_SIZE).map(([pmid, r]) => {
        const contexts = r.CONTEXTS.map((c, i) => `${titleCase(r.LABELS[i] ?? '')}. ${c}`).join('\n')
        const answer = choices.indexOf(r.final_decision)
        if (answer < 0) throw new Error(`ori_pqal.json ${pmid}: final_decision "${r.final_decision}"`)
        return {
          id: pmid,
          input: `Context: ${contexts}\n\n${r.QUESTION}`,
          choices,
          references: [optionLetter(answer)],
          metadata: { pmid, year: r.YEAR, label: r.final_decision },
        }
      })
    },
  },
  {
    catalogId: 'medcalc_bench',
    dataset: 'MedCalc-Bench (test set)',
    license: 'CC BY-SA 4.0',
    licenseSource: 'MedCalc-Bench README, "License" section',
    files: ['medcalc_bench/test_data.csv'],
    upstream: 'https://github.com/ncbi-nlp/MedCalc-Bench',
    citation: 'Khandekar et al., MedCalc-Bench: Evaluating Large Language Models for Medical Calculations, NeurIPS 2024 Datasets and Benchmarks.',
    note: 'Input is "Patient note: <note>" and the question; the tolerance limits are in metadata.',
    metrics: [{ name: 'medcalc_accuracy', main: true }, { name: 'exact_match' }],
    template: genericTemplate,
    build() {
      const rows = parse(readFileSync(join(DATA, 'medcalc_bench', 'test_data.csv')), { columns: true, bom: true }) as Record<string, string>[]
      return spread(rows, SAMPLE_SIZE).map((r) => ({
        id: `row-${r['Row Number']}`,
        input: `Patient note: ${r['Patient Note']}\n${r['Question']}`,
        references: [r['Ground Truth Answer']!],
        metadata: {
          rowNumber: Number(r['Row Number']),
          calculatorId: Number(r['Calculator ID']),
          calculatorName: r['Calculator Name'],
          category: r['Category'],
          outputType: r['Output Type'],
          noteId: r['Note ID'],
          lowerLimit: r['Lower Limit'],
          upperLimit: r['Upper Limit'],
        },
      }))
    },
  },
  {
    catalogId: 'aci_bench',
    dataset: 'ACI-Bench (test sets)',
    license: 'CC BY 4.0',
    licenseSource: 'ACI-Bench README, "License" section',
    files: ['aci_bench/challenge_data_json/{clinicalnlp_taskB_test1,clinicalnlp_taskC_test2,clef_taskC_test3}_full.json'],
    upstream: 'https://github.com/wyim/aci-bench',
    citation: 'Yim et al., ACI-BENCH: a Novel Ambient Clinical Intelligence Dataset for Benchmarking Automatic Visit Note Generation, Scientific Data 2023.',
    note: 'Input is the doctor–patient dialogue; the reference is the clinical note. Scored by the LLM jury.',
    metrics: [{ name: 'jury', main: true }, { name: 'rouge_l' }, { name: 'bertscore' }],
    template: genericTemplate,
    build() {
      const files = ['clinicalnlp_taskB_test1_full.json', 'clinicalnlp_taskC_test2_full.json', 'clef_taskC_test3_full.json']
      const rows = files.flatMap((f) => {
        const data = readJson(join(DATA, 'aci_bench', 'challenge_data_json', f)) as { data: { src: string; tgt: string; file: string }[] }
        return data.data.map((r) => ({ ...r, split: f.replace('_full.json', '') }))
      })
      return spread(rows, 20).map((r) => ({
        id: `${r.split}:${r.file}`,
        input: `Doctor-patient dialogue:\n\n${r.src}`,
        references: [r.tgt],
        metadata: { file: r.file, testSet: r.split },
      }))
    },
  },
  {
    catalogId: 'medec',
    dataset: 'MEDEC (MS test set)',
    license: 'CC BY 4.0',
    licenseSource: 'MEDEC README, "License" section',
    files: ['medec/MEDEC-MS-TestSet-with-GroundTruth-and-ErrorType.csv'],
    upstream: 'https://github.com/abachaa/MEDEC',
    citation: 'Ben Abacha et al., MEDEC: A Benchmark for Medical Error Detection and Correction in Clinical Notes, 2024.',
    note: 'Input is the note one sentence a line with its id; the reference is CORRECT or "<sentence id> <corrected sentence>".',
    metrics: [{ name: 'medec_flag_accuracy', main: true }],
    template: genericTemplate,
    build() {
      const rows = parse(readFileSync(join(DATA, 'medec', 'MEDEC-MS-TestSet-with-GroundTruth-and-ErrorType.csv')), {
        columns: true,
        bom: true,
      }) as Record<string, string>[]
      const real = rows.filter((r) => (r['Sentences'] ?? '').trim() !== '')
      return spread(real, SAMPLE_SIZE).map((r) => {
        const flag = r['Error Flag'] === '1'
        return {
          id: r['Text ID']!,
          input: r['Sentences']!.replaceAll('\r\n', '\n'),
          references: [flag ? `${r['Error Sentence ID']} ${r['Corrected Sentence']}` : 'CORRECT'],
          metadata: {
            errorFlag: flag ? 1 : 0,
            errorType: r['Error Type'],
            errorSentenceId: Number(r['Error Sentence ID']),
          },
        }
      })
    },
  },
  {
    catalogId: 'medhallu',
    dataset: 'MedHallu (pqa_labeled)',
    license: 'MIT',
    licenseSource: 'medhallu/LICENSE ("Copyright (c) 2025 MedHallu")',
    licenseFile: 'medhallu/LICENSE',
    files: ['medhallu/medhallu_pqa_labeled.jsonl'],
    upstream: 'https://huggingface.co/datasets/UTAustin-AIHealth/MedHallu',
    citation: 'Pandit et al., MedHallu: A Comprehensive Benchmark for Detecting Medical Hallucinations in Large Language Models, 2025.',
    note: 'Two instances per source row, as HELM builds them: the ground-truth answer (label 0) and the hallucinated answer (label 1).',
    metrics: [{ name: 'exact_match', main: true }],
    template: genericTemplate,
    build() {
      const lines = readFileSync(join(DATA, 'medhallu', 'medhallu_pqa_labeled.jsonl'), 'utf8').split('\n').filter((l) => l.trim())
      const rows = lines.map((l, i) => ({ i, r: JSON.parse(l) as Record<string, unknown> }))
      return spread(rows, SAMPLE_SIZE / 2).flatMap(({ i, r }) => {
        const knowledge = pyListRepr(r['Knowledge'] as string[])
        const make = (answer: string, label: '0' | '1') => ({
          id: `${i}-${label === '0' ? 'truth' : 'hallucinated'}`,
          input: `World Knowledge: ${knowledge}\n\nQuestion: ${String(r['Question'])}\n\nAnswer: ${answer}`,
          references: [label],
          metadata: { row: i, difficulty: r['Difficulty Level'], hallucinationCategory: label === '1' ? r['Category of Hallucination'] : null },
        })
        return [make(String(r['Ground Truth']), '0'), make(String(r['Hallucinated Answer']), '1')]
      })
    },
  },
]

function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[^a-z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase())
}

function buildSamples(catalog: Catalog): string[] {
  const dir = join(RES, 'samples')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const attribution: string[] = [
    '# Bundled sample benchmarks — attribution',
    '',
    'WardEval ships small samples of public MedHELM datasets so a new installation shows real benchmarks',
    'at once. Each is a WardEval benchmark pack (see docs/benchmark-pack.md) built by',
    '`npx tsx scripts/build-samples.ts` from the copies in the shared datasets folder. They are samples',
    'for a first look, not the full benchmarks: import the complete datasets for real evaluations.',
    '',
    'Each sample is redistributed under its dataset’s license, named below and in its manifest’s `source`.',
    '',
  ]
  const ids: string[] = []
  for (const spec of SAMPLES) {
    const entry = catalog.benchmarks.find((b) => b.id === spec.catalogId)
    if (!entry) throw new Error(`catalog has no ${spec.catalogId}`)
    const instances = spec.build().map((i) => PackInstance.parse(i))
    const manifest = BenchmarkManifest.parse(manifestFor(spec, entry, instances.length))
    const seen = new Set<string>()
    for (const i of instances) {
      if (seen.has(i.id)) throw new Error(`${spec.catalogId}: duplicate id ${i.id}`)
      seen.add(i.id)
    }
    const out = join(dir, entry.id)
    mkdirSync(out)
    writeJson(join(out, 'manifest.json'), manifestFor(spec, entry, instances.length))
    writeFileSync(join(out, 'instances.jsonl'), instances.map((i) => JSON.stringify(i)).join('\n') + '\n')
    ids.push(entry.id)
    attribution.push(
      `## ${manifest.name} (\`${entry.id}\`) — ${instances.length} instances`,
      '',
      `- Dataset: ${spec.dataset}, ${spec.upstream}`,
      `- License: **${spec.license}** (${spec.licenseSource})`,
      `- Citation: ${spec.citation}`,
      `- Built from: ${spec.files.map((f) => `\`datasets/${f}\``).join(', ')}, spread evenly over the file. ${spec.note}`,
      spec.license.includes('SA') ? '- ShareAlike: this sample (a derivative) is likewise under CC BY-SA 4.0.' : '',
      '',
    )
    if (spec.licenseFile) {
      const text = readFileSync(join(DATA, spec.licenseFile), 'utf8').trim()
      attribution.push('License text:', '', ...text.split('\n').map((l) => `> ${l}`.trimEnd()), '')
    }
  }
  writeFileSync(join(dir, 'ATTRIBUTION.md'), attribution.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n'))
  return ids
}

const taxonomy = buildTaxonomy()
writeJson(join(RES, 'taxonomy.json'), taxonomy)
const catalog = buildCatalog(taxonomy)
writeJson(join(RES, 'catalog.json'), catalog)
const ids = buildSamples(catalog)
console.log(
  `taxonomy: ${taxonomy.counts.categories} categories, ${taxonomy.counts.subcategories} subcategories, ${taxonomy.counts.tasksShipped} tasks; ` +
    `catalog: ${catalog.benchmarks.length} benchmarks; samples: ${ids.join(', ')}`,
)
