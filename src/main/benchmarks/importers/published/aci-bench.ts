import { join } from 'node:path'
import { AppError } from '../../../errors'
import type { BenchmarkManifestInput, PackInstanceInput } from '../../../../shared/benchmarks/pack'
import type { Importer, ImportOptions } from '../types'
import { finishManifest, helmTemplate, juryCriteria, openEndedMetrics } from './helm'
import {
  asArray,
  asObject,
  dataError,
  exists,
  fileSize,
  readJsonFile,
  requireFolder,
  stringField,
} from './read'
import { inChunks } from '../chunks'

/**
 * ACI-Bench (dialogue → clinical note). As MedHELM's aci_bench_scenario: the test split is the
 * three challenge test sets in `data/challenge_data_json/` (40 encounters each, 120 in all), read in
 * HELM's order; input = "Doctor-patient dialogue:\n\n" + src; reference = tgt (the full note).
 */

/** The test files HELM downloads, in its order. */
export const ACI_TEST_FILES = [
  'clinicalnlp_taskB_test1_full.json',
  'clef_taskC_test3_full.json',
  'clinicalnlp_taskC_test2_full.json',
] as const

export const ACI_BENCH_MANIFEST: BenchmarkManifestInput = {
  id: 'aci_bench',
  name: 'ACI-Bench',
  version: 'e75b3831',
  description:
    'Turn a doctor-patient dialogue into a clinical note (history of present illness, physical exam, results, assessment and plan).',
  taxonomy: { category: 'clinical_note_generation', subcategory: 'documenting_patient_visits' },
  access: 'public',
  taskType: 'open_ended',
  prompt: {
    instructions:
      'Summarize the conversation to generate a clinical note with four sections:\n1. HISTORY OF PRESENT ILLNESS\n2. PHYSICAL EXAM\n3. RESULTS\n4. ASSESSMENT AND PLAN\n\nThe conversation is:',
    template: helmTemplate('Conversation', 'generation'),
    outputNoun: 'Clinical Note',
    maxTokens: 768,
    temperature: 0,
    stop: [],
  },
  metrics: openEndedMetrics(),
  jury: {
    criteria: juryCriteria({
      accuracy:
        'Does the note state the clinical facts of the conversation correctly, without errors or findings that were not discussed?',
      completeness:
        'Does the note include all the important details of the visit needed for its four sections?',
      clarity: 'Is the note clear, well organised and easy for a clinician to read?',
    }),
  },
  source: {
    name: 'ACI-Bench (wyim/aci-bench, data/challenge_data_json)',
    url: 'https://github.com/wyim/aci-bench',
    license: 'CC BY 4.0',
    citation:
      'Yim W, Fu Y, Ben Abacha A, Snider N, Lin T, Yetisgen M. Aci-bench: a Novel Ambient Clinical Intelligence Dataset for Benchmarking Automatic Visit Note Generation. Scientific Data 2023.',
    commit: 'e75b383172195414a7a68843ec4876e83e5409f7',
  },
}

/** The folder holding the test files: the folder itself, `<it>/challenge_data_json` or `<it>/data/challenge_data_json`. */
async function testFolder(path: string): Promise<string> {
  await requireFolder(path, 'the ACI-Bench challenge_data_json files')
  for (const candidate of [
    path,
    join(path, 'challenge_data_json'),
    join(path, 'data', 'challenge_data_json'),
  ]) {
    if (await exists(join(candidate, ACI_TEST_FILES[0]))) return candidate
  }
  throw new AppError(
    'not_found',
    `${path}: no ${ACI_TEST_FILES[0]} here or in challenge_data_json/; point at the aci-bench data/challenge_data_json folder`,
  )
}

function aciInstances(data: unknown, file: string, testSet: string): PackInstanceInput[] {
  const entries = asArray(asObject(data, { file }, 'file')['data'], { file }, 'data')
  if (entries.length === 0) throw dataError({ file }, 'data', 'is empty')
  return entries.map((value, i) => {
    const loc = { file, record: `data[${i}]` }
    const entry = asObject(value, loc)
    const encounter = stringField(entry, 'file', loc)
    const [encounterId, dataset] = encounter.split('-', 2)
    return {
      id: encounter,
      input: `Doctor-patient dialogue:\n\n${stringField(entry, 'src', loc)}`,
      references: [stringField(entry, 'tgt', loc)],
      split: 'test',
      metadata: { encounterId: encounterId ?? encounter, dataset: dataset ?? null, testSet },
    }
  })
}

export async function* aciBenchInstances(
  folder: string,
  options: ImportOptions,
): AsyncGenerator<PackInstanceInput> {
  const files = ACI_TEST_FILES.map((name) => join(folder, name))
  const sizes = await Promise.all(files.map((file) => fileSize(file)))
  const total = sizes.reduce((a, b) => a + b, 0)
  let done = 0
  for (const [index, name] of ACI_TEST_FILES.entries()) {
    const file = files[index]!
    const data = await readJsonFile(file)
    done += sizes[index]!
    options.onProgress?.(done, total)
    yield* aciInstances(data, file, name.replace(/_full\.json$/, ''))
  }
}

export const aciBenchImporter: Importer = {
  format: 'aci-bench',
  description:
    'ACI-Bench: 120 doctor-patient dialogues to turn into clinical notes (the three challenge test sets)',
  expects:
    'the data/challenge_data_json folder of github.com/wyim/aci-bench (holding the *_test*_full.json files)',
  catalogId: 'aci_bench',
  async read(path, options) {
    const folder = await testFolder(path)
    return {
      manifest: finishManifest(ACI_BENCH_MANIFEST, options),
      instances: inChunks(aciBenchInstances(folder, options)),
    }
  },
}
