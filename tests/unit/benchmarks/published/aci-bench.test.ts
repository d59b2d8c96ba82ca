import { readFileSync } from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { aciBenchImporter } from '../../../../src/main/benchmarks/importers/published/aci-bench'
import { byId, DATASETS, expectImportError, fixture, importAll } from './support'

const FOLDER = `${DATASETS}/aci_bench/challenge_data_json`

describe('ACI-Bench importer', () => {
  it('builds the 120 encounters of the three test sets in HELM order, from the dataset root or the JSON folder', async () => {
    const { manifest, instances } = await importAll(aciBenchImporter, `${DATASETS}/aci_bench`)
    expect(instances).toHaveLength(120)
    expect(instances.slice(0, 40).every((i) => i.metadata['testSet'] === 'clinicalnlp_taskB_test1')).toBe(
      true,
    )
    expect(instances.slice(40, 80).every((i) => i.metadata['testSet'] === 'clef_taskC_test3')).toBe(true)
    expect(instances.slice(80).every((i) => i.metadata['testSet'] === 'clinicalnlp_taskC_test2')).toBe(true)
    expect(instances[0]!.id).toBe('D2N088-virtassist')
    expect(instances[40]!.id).toBe('D2N168-virtassist')
    expect((await importAll(aciBenchImporter, FOLDER)).instances.map((i) => i.id)).toEqual(
      instances.map((i) => i.id),
    )

    expect(manifest).toMatchObject({
      id: 'aci_bench',
      taxonomy: { category: 'clinical_note_generation', subcategory: 'documenting_patient_visits' },
      taskType: 'open_ended',
      prompt: { outputNoun: 'Clinical Note', maxTokens: 768, temperature: 0 },
      source: { license: 'CC BY 4.0', commit: 'e75b383172195414a7a68843ec4876e83e5409f7' },
    })
    expect(manifest.metrics.find((m) => m.main)?.name).toBe('jury')
    expect(manifest.jury?.criteria.map((c) => c.id)).toEqual(['accuracy', 'completeness', 'clarity'])
    expect(manifest.prompt.instructions).toContain('4. ASSESSMENT AND PLAN')
    expect(manifest.prompt.template).toContain('Conversation: {{input}}')
  })

  it('input = "Doctor-patient dialogue:\\n\\n" + src and reference = tgt, as in the raw file', async () => {
    const raw = JSON.parse(readFileSync(`${FOLDER}/clinicalnlp_taskB_test1_full.json`, 'utf8')) as {
      data: { src: string; tgt: string; file: string }[]
    }
    const { instances } = await importAll(aciBenchImporter, FOLDER)
    const first = byId(instances, 'D2N088-virtassist')
    expect(first.input).toBe(`Doctor-patient dialogue:\n\n${raw.data[0]!.src}`)
    expect(
      first.input.startsWith(
        'Doctor-patient dialogue:\n\n[doctor] hi , andrew . how are you ?\n[patient] hey , good to see you .',
      ),
    ).toBe(true)
    expect(first.references).toEqual([raw.data[0]!.tgt])
    expect(first.references[0]!.startsWith('CHIEF COMPLAINT\n\nUpper respiratory infection.')).toBe(true)
    expect(first.metadata).toEqual({
      encounterId: 'D2N088',
      dataset: 'virtassist',
      testSet: 'clinicalnlp_taskB_test1',
    })
  })

  it('rejects an entry without its note, naming the file, record and field', async () => {
    await expectImportError(aciBenchImporter, fixture('aci-missing-tgt'), [
      /clef_taskC_test3_full\.json/,
      /data\[0\]/,
      /field "tgt": missing/,
    ])
  })

  it('says which file is missing when pointed at the wrong folder', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'aci-'))
    await expectImportError(aciBenchImporter, empty, [/clinicalnlp_taskB_test1_full\.json/], 'not_found')
  })
})
