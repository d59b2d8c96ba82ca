import type { BenchmarkManifestInput } from '../../../../shared/benchmarks/pack'
import type { Importer } from '../types'
import { finishManifest, helmTemplate, juryCriteria, openEndedMetrics } from './helm'
import { mtSamplesInstances } from './mtsamples'
import { inChunks } from '../chunks'

/**
 * MTSamples Replicate (raulista1997/benchmarkdata `mtsamples_processed/*.txt`, 1,269 transcribed
 * reports). As MedHELM's mtsamples_replicate_scenario: only the PLAN section is cut from the input;
 * the reference is PLAN, else SUMMARY, else FINDINGS (see mtsamples.ts).
 */

export const MTSAMPLES_REPLICATE_MANIFEST: BenchmarkManifestInput = {
  id: 'mtsamples_replicate',
  name: 'MTSamples',
  version: 'ebc104a4',
  description:
    'Generate a treatment plan from a transcribed medical report (reference: its PLAN, else SUMMARY, else FINDINGS).',
  taxonomy: { category: 'clinical_decision_support', subcategory: 'planning_treatments' },
  access: 'public',
  taskType: 'open_ended',
  prompt: {
    instructions:
      'Given various information about a patient, return a reasonable treatment plan for the patient.',
    template: helmTemplate(null, 'generation'),
    outputNoun: 'Answer',
    maxTokens: 512,
    temperature: 0,
    stop: [],
  },
  metrics: openEndedMetrics(),
  jury: {
    criteria: juryCriteria({
      accuracy: 'Is the treatment plan clinically appropriate for the patient described in the report?',
      completeness: 'Does the plan cover all the important elements of the care the patient needs?',
      clarity: 'Is the plan clear and easy for a clinician to follow?',
    }),
  },
  source: {
    name: 'MTSamples (raulista1997/benchmarkdata, mtsamples_processed/*.txt; from mtsamples.com)',
    url: 'https://github.com/raulista1997/benchmarkdata',
    license: 'not stated (transcription samples from mtsamples.com)',
    citation: 'MTSamples.com transcribed medical reports, as used by MedHELM.',
    commit: 'ebc104a4f96c5b7602242f301e081e9934a23344',
  },
}

export const mtSamplesReplicateImporter: Importer = {
  format: 'mtsamples-replicate',
  description: 'MTSamples Replicate: transcribed reports from which the model must write a treatment plan',
  expects:
    'the mtsamples_processed/*.txt samples packaged as JSON Lines, one {"file", "text"} object per file',
  catalogId: 'mtsamples_replicate',
  async read(path, options) {
    return {
      manifest: finishManifest(MTSAMPLES_REPLICATE_MANIFEST, options),
      instances: inChunks(mtSamplesInstances(path, ['PLAN'], options.onProgress)),
    }
  },
}
