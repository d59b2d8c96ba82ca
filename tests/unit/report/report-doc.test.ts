import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gatherReportInputs, type ReportInputs } from '../../../src/main/report/inputs'
import { reportDocFrom } from '../../../src/main/report/build'
import type { ReportBlock, ReportDoc, ReportSection } from '../../../src/main/report/doc'
import { tempContext, type TempContext } from '../../support/context'
import type { FakeOllama } from '../../support/fake-ollama'
import { startFake } from '../review/helpers'
import { buildReportWorld, REPORT_JUDGES, REPORT_MODELS } from './world'
import { writeFileSync } from 'node:fs'

let fake: FakeOllama
let ctx: TempContext
let inputs: ReportInputs
let doc: ReportDoc

beforeAll(async () => {
  fake = await startFake()
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  await buildReportWorld(ctx, ctx.dir)
  inputs = await gatherReportInputs(ctx, { seed: 7, now: '2026-12-05T01:00:00.000Z' })
  doc = reportDocFrom(inputs)
  if (process.env.REPORT_DUMP) writeFileSync(process.env.REPORT_DUMP, JSON.stringify(doc, null, 1))
}, 120_000)
afterAll(async () => {
  ctx.dispose()
  await fake.close()
})

const section = (id: string) => doc.sections.find((s) => s.id === id) as ReportSection
const text = (s: ReportSection) => JSON.stringify(s.blocks)
const tables = (s: ReportSection) => s.blocks.filter((b): b is Extract<ReportBlock, { kind: 'table' }> => b.kind === 'table')

describe('report document', () => {
  it('has the sections in the issue order', () => {
    expect(doc.sections.map((s) => s.id)).toEqual([
      'summary', 'scope', 'coverage', 'leaderboard', 'cost', 'jury', 'agreement', 'privacy', 'limitations',
    ])
  })
  it('dumps', () => {
    expect(doc.sections.length).toBeGreaterThan(0)
  })
})
