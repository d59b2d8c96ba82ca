import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csvRow } from '../../../src/main/csv/cell'
import type { AgreementFileReport } from '../../../src/main/review/files/agreement-file'
import { runCliCaptured } from '../../support/cli'

/**
 * MedHELM's jury–clinician validation, from the authors' published ratings
 * (tests/fixtures/medhelm-ratings, som-shahlab/medhelm @ 26bc40b): `stats agreement` must give the
 * ICC the paper reports (0.47, on aci_bench + medi_qa) and the figures of the authors' script.
 */

const FIXTURE = join(__dirname, '../../fixtures/medhelm-ratings/output.csv')
let dir: string
let file: string

/** The published file in `stats agreement`'s format: clinician rows, then one jury row per instance. */
function convert(): string {
  const [header, ...lines] = readFileSync(FIXTURE, 'utf8').trim().split('\n')
  const cols = (header as string).split(',')
  const at = (row: string[], name: string) => row[cols.indexOf(name)] as string
  const rows = lines.map((l) => l.split(','))
  const out = [csvRow(['instance_id', 'rater', 'kind', 'accuracy', 'completeness', 'clarity', 'benchmark'])]
  for (const r of rows)
    out.push(
      csvRow([
        at(r, 'instance_id'),
        at(r, 'username'),
        'clinician',
        at(r, 'accuracy'),
        at(r, 'completeness'),
        at(r, 'clarity'),
        at(r, 'dataset_name'),
      ]),
    )
  const seen = new Set<string>()
  for (const r of rows) {
    const id = at(r, 'instance_id')
    if (seen.has(id)) continue
    seen.add(id)
    out.push(
      csvRow([
        id,
        'jury',
        'jury',
        at(r, 'llm_accuracy'),
        at(r, 'llm_completeness'),
        at(r, 'llm_clarity'),
        at(r, 'dataset_name'),
      ]),
    )
  }
  return out.join('\n') + '\n'
}

async function agreement(...args: string[]): Promise<AgreementFileReport> {
  const r = await runCliCaptured(['--json', 'stats', 'agreement', file, ...args])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout) as AgreementFileReport
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'medhelm-'))
  file = join(dir, 'medhelm.csv')
  writeFileSync(file, convert())
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('MedHELM reproduction', () => {
  it('the published file holds 132 clinician ratings of 74 instances', () => {
    const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1)
    expect(rows.filter((r) => r.includes(',clinician,'))).toHaveLength(132)
    expect(rows.filter((r) => r.includes(',jury,'))).toHaveLength(74)
  })

  it('gives the jury–clinician ICC the paper reports: 0.47 on aci_bench + medi_qa', async () => {
    const r = await agreement('--benchmark', 'aci_bench,medi_qa')
    const jury = r.overall.jury
    expect(jury).toMatchObject({ status: 'ok', items: 56 })
    expect(jury.icc3k!.value.toFixed(2)).toBe('0.47')
    expect(jury.icc3k!.value).toBeCloseTo(0.47447, 4)
    // F = BMS/EMS on (55, 55); the interval 1 − 1/(F/F.975), 1 − 1/(F·F.975) (pingouin's).
    expect(jury.icc3k).toMatchObject({ df1: 55, df2: 55 })
    expect(jury.icc3k!.ci95![0]).toBeCloseTo(0.1035, 3)
    expect(jury.icc3k!.ci95![1]).toBeCloseTo(0.6919, 3)
    expect(jury.icc3k!.label).toBe('poor to moderate')
    expect(jury.verdict).toContain('poor to moderate')
    expect(jury.spearman!.rho).toBeCloseTo(0.0854, 4)
    expect(jury.kappa!.value).toBeCloseTo(0.1779, 4)
  })

  it('gives the per-benchmark and pooled figures of the authors’ script, with n', async () => {
    const r = await agreement()
    expect(r.overall).toMatchObject({ instances: 74, clinicians: 17 })
    expect(r.overall.jury.icc3k!.value).toBeCloseTo(0.2764, 4)
    const by = Object.fromEntries(r.benchmarks.map((g) => [g.benchmark, g]))
    expect(Object.keys(by)).toEqual(['aci_bench', 'medi_qa', 'mtsamples_replicate'])
    expect(by.aci_bench!.instances).toBe(31)
    expect(by.aci_bench!.jury.icc3k!.value).toBeCloseTo(0.3076, 4)
    expect(by.medi_qa!.instances).toBe(25)
    expect(by.medi_qa!.jury.icc3k!.value).toBeCloseTo(0.6248, 4)
    expect(by.mtsamples_replicate!.instances).toBe(18)
    expect(by.mtsamples_replicate!.jury.icc3k!.value).toBeCloseTo(-1.1949, 4)
    // Baseline: the pair with most instances in common, first in name order on ties.
    expect(by.aci_bench!.baseline).toMatchObject({ raters: ['Akshay Swaminathan', 'Shreya Shah'], items: 9 })
    expect(by.aci_bench!.baseline.icc3k!.value).toBeCloseTo(0.2374, 4)
    expect(by.medi_qa!.baseline).toMatchObject({
      raters: ['Dev Dash', 'Jenelle Jindal'],
      status: 'not_computable',
    })
    expect(by.medi_qa!.baseline.reason).toContain('Jenelle Jindal gave all 7 shared items the same score')
    expect(r.overall.baseline).toMatchObject({ items: 10, status: 'ok' })
    expect(r.warnings.join('\n')).toContain('Jenelle Jindal')
  })

  it('prints it for a person, with the Koo & Li label and the seed', async () => {
    const r = await runCliCaptured(['stats', 'agreement', file, '--benchmark', 'aci_bench,medi_qa'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('0.47 [0.10, 0.69]')
    expect(r.stdout).toContain('poor to moderate')
    expect(r.stdout).toContain('seed 0')
    expect(r.stdout).toContain('Benchmark medi_qa: 25 instances')
  })

  it('gives the same κ interval for the same seed, another for another', async () => {
    const a = await agreement('--seed', '3')
    const b = await agreement('--seed', '3')
    const c = await agreement('--seed', '4')
    expect(a.overall.jury.kappa).toEqual(b.overall.jury.kappa)
    expect(c.overall.jury.kappa!.ci95).not.toEqual(a.overall.jury.kappa!.ci95)
  })
})
