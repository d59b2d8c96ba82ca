import { describe, expect, it } from 'vitest'
import { medcalcBenchImporter } from '../../../../src/main/benchmarks/importers/published/medcalc-bench'
import { byId, DATASETS, expectImportError, fixture, importAll } from './support'

const FILE = `${DATASETS}/medcalc_bench/test_data.csv`

describe('MedCalc-Bench importer', () => {
  it('builds the 1,047 test rows with limits and category in metadata', async () => {
    const { manifest, instances } = await importAll(medcalcBenchImporter, FILE)
    expect(instances).toHaveLength(1047)
    const categories: Record<string, number> = {}
    for (const i of instances)
      categories[i.metadata['category'] as string] = (categories[i.metadata['category'] as string] ?? 0) + 1
    expect(categories).toEqual({
      lab: 327,
      risk: 240,
      physical: 240,
      severity: 80,
      diagnosis: 60,
      date: 60,
      dosage: 40,
    })
    expect(manifest).toMatchObject({
      id: 'medcalc_bench',
      taxonomy: { category: 'clinical_decision_support', subcategory: 'supporting_diagnostic_decisions' },
      taskType: 'numeric',
      metrics: [
        { name: 'medcalc_accuracy', main: true },
        { name: 'exact_match', main: false },
      ],
      prompt: {
        instructions: 'Given a patient note and a clinical question, compute the requested medical value.',
        outputNoun: 'Answer only the requested quantity without units. No explanation needed',
        maxTokens: 10,
        temperature: 0,
      },
      source: { license: 'CC BY-SA 4.0' },
    })
  })

  it('row 1: "Patient note: …" then the question; reference and ±5% limits from the file', async () => {
    const { instances } = await importAll(medcalcBenchImporter, FILE)
    const first = byId(instances, '1')
    expect(
      first.input.startsWith(
        'Patient note: An 87-year-old man was admitted to our hospital for anorexia for several days',
      ),
    ).toBe(true)
    expect(first.input).toMatch(
      /\n\nQuestion: What is the patient's Creatinine Clearance using the Cockroft-Gault Equation in .*\n$/,
    )
    expect(first.references).toEqual(['25.238'])
    expect(first.metadata).toMatchObject({
      category: 'lab',
      lowerLimit: '23.9761',
      upperLimit: '26.4999',
      calculatorId: 2,
      calculatorName: 'Creatinine Clearance (Cockcroft-Gault Equation)',
      outputType: 'decimal',
      noteId: 'pmc-7671985-1',
    })
    const gestation = byId(instances, '1028')
    expect(gestation.input).toBe(
      "Patient note: The patient's last menstrual period was on 03/23/2020. Today's date is 03/29/2020.\n\nQuestion: Based on the patient's last menstrual period, what is the patient's estimated gestational age? Your answer should be a tuple, specifying the number of weeks and days (i.e. (4 weeks, 3 days), (0 weeks, 5 days), (1 week, 5 days), (8 weeks, 0 days)).\n",
    )
    expect(gestation.references).toEqual(["('0 weeks', '6 days')"])
    expect(gestation.metadata).toMatchObject({
      category: 'date',
      calculatorId: 69,
      lowerLimit: "('0 weeks', '6 days')",
    })
  })

  it('rejects a file without the Upper Limit column', async () => {
    await expectImportError(medcalcBenchImporter, fixture('medcalc-missing-column.csv'), [
      /medcalc-missing-column\.csv/,
      /line 1/,
      /missing column "Upper Limit"/,
    ])
  })

  it('rejects a semicolon-separated export with a hint', async () => {
    await expectImportError(medcalcBenchImporter, fixture('medcalc-semicolons.csv'), [
      /medcalc-semicolons\.csv/,
      /delimiter/,
    ])
  })

  it('rejects an unclosed quote (truncated file)', async () => {
    await expectImportError(medcalcBenchImporter, fixture('medcalc-unclosed-quote.csv'), [
      /medcalc-unclosed-quote\.csv/,
      /never closed|quote/i,
    ])
  })

  it('names the line and field of a bad Row Number and of an empty answer', async () => {
    await expectImportError(medcalcBenchImporter, fixture('medcalc-bad-row-number.csv'), [
      /line 4/,
      /field "Row Number": expected a whole number, found something else \(2 characters\)/,
    ])
    await expectImportError(medcalcBenchImporter, fixture('medcalc-empty-answer.csv'), [
      /line 4/,
      /field "Ground Truth Answer": is empty/,
    ])
  })
})
