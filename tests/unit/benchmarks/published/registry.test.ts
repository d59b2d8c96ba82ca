import { PUBLISHED_FORMATS } from '../../../../src/main/benchmarks/importers/published/formats'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { PUBLISHED_IMPORTERS } from '../../../../src/main/benchmarks/importers/published'
import { BenchmarkManifest } from '../../../../src/shared/benchmarks/pack'
import { ACI_BENCH_MANIFEST } from '../../../../src/main/benchmarks/importers/published/aci-bench'
import { EHRSQL_MANIFEST } from '../../../../src/main/benchmarks/importers/published/ehrsql'
import { HEADQA_MANIFEST } from '../../../../src/main/benchmarks/importers/published/head-qa'
import { MEDBULLETS_MANIFEST } from '../../../../src/main/benchmarks/importers/published/medbullets'
import { MEDCALC_MANIFEST } from '../../../../src/main/benchmarks/importers/published/medcalc-bench'
import { MEDEC_MANIFEST } from '../../../../src/main/benchmarks/importers/published/medec'
import { MEDHALLU_MANIFEST } from '../../../../src/main/benchmarks/importers/published/medhallu'
import { MEDICATION_QA_MANIFEST } from '../../../../src/main/benchmarks/importers/published/medication-qa'
import { MEDIQA_QA_MANIFEST } from '../../../../src/main/benchmarks/importers/published/mediqa-qa'
import { MTSAMPLES_PROCEDURES_MANIFEST } from '../../../../src/main/benchmarks/importers/published/mtsamples-procedures'
import { MTSAMPLES_REPLICATE_MANIFEST } from '../../../../src/main/benchmarks/importers/published/mtsamples-replicate'
import { PUBMEDQA_MANIFEST } from '../../../../src/main/benchmarks/importers/published/pubmedqa'
import { RACE_BASED_MED_MANIFEST } from '../../../../src/main/benchmarks/importers/published/race-based-med'
import { MEDHELM_REFERENCE_DIR } from '../../../support/shared'

/** The MedHELM catalog and taxonomy the manifests must agree with. */
const REFERENCE = MEDHELM_REFERENCE_DIR
const catalog = JSON.parse(readFileSync(`${REFERENCE}/benchmarks.json`, 'utf8')) as {
  benchmarks: {
    id: string
    display_name: string
    category: string
    subcategory: string
    data_access: string
    prompt: { max_tokens: number; output_noun: string | null; temperature: number }
  }[]
}
const taxonomy = JSON.parse(readFileSync(`${REFERENCE}/taxonomy.json`, 'utf8')) as {
  categories: { id: string; name: string; subcategories: { id: string; name: string }[] }[]
}

describe('PUBLISHED_IMPORTERS', () => {
  it('lists the 13 published datasets once each, each for a MedHELM catalog entry, as the CLI names them', () => {
    // The light list the CLI's help names (importers/published/formats.ts) is the importers' own.
    expect(PUBLISHED_IMPORTERS.map((i) => i.format)).toEqual(PUBLISHED_FORMATS)
    expect(new Set(PUBLISHED_FORMATS).size).toBe(13)
    for (const importer of PUBLISHED_IMPORTERS) {
      expect(importer.description.length).toBeGreaterThan(10)
      expect(importer.expects.length).toBeGreaterThan(10)
      expect(catalog.benchmarks.map((b) => b.id)).toContain(importer.catalogId)
    }
  })
})

describe('published manifests agree with the MedHELM catalog and taxonomy', () => {
  const manifests = [
    PUBMEDQA_MANIFEST,
    MEDCALC_MANIFEST,
    ACI_BENCH_MANIFEST,
    MEDEC_MANIFEST,
    MEDICATION_QA_MANIFEST,
    MEDIQA_QA_MANIFEST,
    MEDBULLETS_MANIFEST,
    HEADQA_MANIFEST,
    MTSAMPLES_PROCEDURES_MANIFEST,
    MTSAMPLES_REPLICATE_MANIFEST,
    EHRSQL_MANIFEST,
    MEDHALLU_MANIFEST,
    RACE_BASED_MED_MANIFEST,
  ].map((m) => BenchmarkManifest.parse(m))

  it('has one manifest per importer', () => {
    expect(manifests.map((m) => m.id).sort()).toEqual(PUBLISHED_IMPORTERS.map((i) => i.catalogId).sort())
  })

  for (const importer of PUBLISHED_IMPORTERS) {
    it(`${importer.format}: name, placement, access and prompt limits as in benchmarks.json`, () => {
      const manifest = manifests.find((m) => m.id === importer.catalogId)!
      const entry = catalog.benchmarks.find((b) => b.id === importer.catalogId)!
      const category = taxonomy.categories.find((c) => c.name === entry.category)!
      const subcategory = category.subcategories.find(
        (s) => s.name.toLowerCase() === entry.subcategory.toLowerCase(),
      )!
      expect(manifest.taxonomy).toEqual({ category: category.id, subcategory: subcategory.id })
      expect(manifest.access).toBe(entry.data_access)
      expect(manifest.prompt.maxTokens).toBe(entry.prompt.max_tokens)
      expect(manifest.prompt.temperature).toBe(entry.prompt.temperature)
      if (entry.prompt.output_noun && !entry.prompt.output_noun.includes('('))
        expect(manifest.prompt.outputNoun).toBe(entry.prompt.output_noun)
      if (manifest.metrics.some((m) => m.name === 'jury'))
        expect(manifest.jury?.criteria.map((c) => c.id)).toEqual(['accuracy', 'completeness', 'clarity'])
      expect(manifest.metrics.filter((m) => m.main)).toHaveLength(1)
      expect(manifest.source?.url).toMatch(/^https:\/\//)
    })
  }
})
