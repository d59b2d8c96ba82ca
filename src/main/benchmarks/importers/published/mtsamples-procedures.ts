import type { BenchmarkManifestInput } from '../../../../shared/benchmarks/pack'
import type { Importer } from '../types'
import { finishManifest, helmTemplate, juryCriteria, openEndedMetrics } from './helm'
import { mtSamplesInstances } from './mtsamples'
import { inChunks } from '../chunks'

/**
 * MTSamples Procedures (raulista1997/benchmarkdata `mtsample_procedure/*.txt`, 429 operative and
 * procedure notes). As MedHELM's mtsamples_procedures_scenario: the PLAN / SUMMARY / FINDINGS
 * sections are all cut from the input and the first of them is the reference (see mtsamples.ts).
 */

export const MTSAMPLES_PROCEDURES_MANIFEST: BenchmarkManifestInput = {
  id: 'mtsamples_procedures',
  name: 'MTSamples Procedures',
  version: 'c4c25244',
  description:
    'From a procedure note with its plan, summary and findings removed, write the plan or summary.',
  taxonomy: { category: 'clinical_note_generation', subcategory: 'recording_procedures' },
  access: 'public',
  taskType: 'open_ended',
  prompt: {
    instructions: 'Here are information about a patient, return a reasonable treatment plan for the patient.',
    template: helmTemplate('Patient Notes', 'generation'),
    outputNoun: 'Answer',
    maxTokens: 512,
    temperature: 0,
    stop: [],
  },
  metrics: openEndedMetrics(),
  jury: {
    criteria: juryCriteria({
      accuracy: 'Is the plan or summary clinically correct for the procedure and findings in the note?',
      completeness: "Does it include all the important elements of the procedure's plan or summary?",
      clarity: 'Is it clear and easy for a clinician to follow?',
    }),
  },
  source: {
    name: 'MTSamples procedures (raulista1997/benchmarkdata, mtsample_procedure/*.txt; from mtsamples.com)',
    url: 'https://github.com/raulista1997/benchmarkdata',
    license: 'not stated (transcription samples from mtsamples.com)',
    citation: 'MTSamples.com transcribed medical reports, as used by MedHELM.',
    commit: 'c4c252443fa9c52afb6960f53e51be278639bea2',
  },
}

export const mtSamplesProceduresImporter: Importer = {
  format: 'mtsamples-procedures',
  description: 'MTSamples Procedures: procedure notes whose plan/summary the model must write',
  expects:
    'the mtsample_procedure/*.txt samples packaged as JSON Lines, one {"file", "text"} object per file',
  catalogId: 'mtsamples_procedures',
  async read(path, options) {
    return {
      manifest: finishManifest(MTSAMPLES_PROCEDURES_MANIFEST, options),
      instances: inChunks(mtSamplesInstances(path, ['PLAN', 'SUMMARY', 'FINDINGS'], options.onProgress)),
    }
  },
}
