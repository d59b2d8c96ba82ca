import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findResourcesDir } from '../../../src/main/app/paths'
import { readManifest } from '../../../src/main/benchmarks/importers/pack'
import { loadResources } from '../../../src/main/benchmarks/resources'
import { sampleFolders } from '../../../src/main/benchmarks/samples'
import { BenchmarkManifest, PackInstance } from '../../../src/shared/benchmarks/pack'

const dir = findResourcesDir()
const res = loadResources(dir)

describe('shipped taxonomy (resources/taxonomy.json)', () => {
  it('has MedHELM’s 5 categories and 22 subcategories, with the provenance of the reference material', () => {
    expect(res.taxonomy.categories.map((c) => c.name)).toEqual([
      'Clinical Decision Support',
      'Clinical Note Generation',
      'Patient Communication and Education',
      'Medical Research Assistance',
      'Administration and Workflow',
    ])
    expect(res.taxonomy.categories.map((c) => c.subcategories.length)).toEqual([4, 4, 5, 5, 4])
    expect(res.taxonomy.counts).toEqual({
      categories: 5,
      subcategories: 22,
      tasksClaimed: 121,
      tasksShipped: 1,
    })
    expect(res.taxonomy.provenance.builtFrom[0]).toMatchObject({
      path: 'reference/medhelm/taxonomy.json',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    expect(res.taxonomy.provenance.sources.join('\n')).toMatch(/stanford-crfm\/helm@63754d05/)
    const known = res.taxonomy.categories.flatMap((c) => c.subcategories.flatMap((s) => s.tasks))
    expect(known).toEqual([
      expect.objectContaining({ id: 'answer_medical_knowledge_questions', provenance: 'third_party' }),
    ])
  })
})

describe('catalog (resources/catalog.json)', () => {
  it('has the 37 benchmarks (the paper’s 35 + MedQA and MedMCQA), each placed where the taxonomy places it', () => {
    const b = res.catalog.benchmarks
    expect(b).toHaveLength(37)
    expect(b.filter((x) => x.inPaperV1)).toHaveLength(35)
    expect(
      b
        .filter((x) => !x.inPaperV1)
        .map((x) => x.id)
        .sort(),
    ).toEqual(['med_mcqa', 'med_qa'])
    const paper = b.filter((x) => x.inPaperV1)
    // MedHELM: "35 distinct benchmarks (14 private, 7 gated-access, and 14 public)".
    expect(['public', 'gated', 'private'].map((a) => paper.filter((x) => x.access === a).length)).toEqual([
      14, 7, 14,
    ])
    for (const e of b) expect(res.subcategoryById.get(e.subcategory)?.subcategory.benchmarks).toContain(e.id)
    expect(res.catalogById.get('medcalc_bench')).toMatchObject({
      taskType: 'numeric',
      mainMetric: { metric: 'medcalc_accuracy' },
      access: 'public',
      dataSource: { type: 'huggingface', dataset: 'ncbi/MedCalc-Bench' },
    })
    expect(res.catalogById.get('pubmed_qa')?.prompt.stop).toEqual(['\n'])
    expect(b.filter((x) => x.mainMetric.metric === 'jury')).toHaveLength(13)
  })
})

describe('bundled samples (resources/samples)', () => {
  it('are valid packs of 20–50 instances, each with source and license, listed in ATTRIBUTION.md', async () => {
    const folders = sampleFolders(dir)
    expect(folders.map((f) => f.split(/[\\/]/).pop())).toEqual([
      'aci_bench',
      'medcalc_bench',
      'medec',
      'medhallu',
      'pubmed_qa',
    ])
    const attribution = readFileSync(join(dir, 'samples', 'ATTRIBUTION.md'), 'utf8')
    for (const f of folders) {
      const m = BenchmarkManifest.parse(await readManifest(join(f, 'manifest.json')))
      expect(m.access).toBe('public')
      expect(m.source?.license).toMatch(/^(MIT|CC BY 4\.0|CC BY-SA 4\.0)$/)
      expect(m.source?.url).toMatch(/^https:\/\//)
      expect(attribution).toContain(`\`${m.id}\``)
      expect(attribution).toContain(`**${m.source!.license}**`)
      const lines = readFileSync(join(f, 'instances.jsonl'), 'utf8').trimEnd().split('\n')
      expect(lines.length).toBeGreaterThanOrEqual(20)
      expect(lines.length).toBeLessThanOrEqual(50)
      for (const l of lines) PackInstance.parse(JSON.parse(l))
    }
    // MIT requires the notice itself.
    expect(attribution.match(/Permission is hereby granted/g)).toHaveLength(2)
  })
})
