import { beforeAll, describe, expect, it } from 'vitest'
import { gpuTimeUsd } from '../../../src/main/analysis/cost'
import { reportDocFrom } from '../../../src/main/report/build'
import type { ReportBlock, ReportDoc, ReportSection } from '../../../src/main/report/doc'
import { gatherReportInputs, type ReportInputs } from '../../../src/main/report/inputs'
import { agreementSection } from '../../../src/main/report/sections/agreement'
import { costSection } from '../../../src/main/report/sections/cost'
import { findLimitations } from '../../../src/main/report/sections/limitations'
import { jurySection } from '../../../src/main/report/sections/jury'
import { formatInterval } from '../../../src/shared/statistics-text'
import type { TempContext } from '../../support/context'
import type { FakeOllama } from '../../support/fake-ollama'
import { useReportWorld } from './use-world'
import { REPORT_JUDGES, REPORT_MODELS } from './world'

/**
 * The report's content, section by section, over a real database: two models answered 14 patient
 * messages, a jury of three judges scored them, two clinicians rated a review set, a remote host
 * was approved with a reason, an anchor signed the chain (tests/unit/report/world.ts). Every figure
 * must be the one the screens show — the same leaderboard, audit and review objects.
 */

const world = useReportWorld()
let ctx: TempContext
let fake: FakeOllama
let inputs: ReportInputs
let doc: ReportDoc

beforeAll(async () => {
  ;({ ctx, fake } = world)
  inputs = await gatherReportInputs(ctx, { seed: 7, now: '2026-12-05T01:00:00.000Z' })
  doc = reportDocFrom(inputs)
}, 120_000)

type Table = Extract<ReportBlock, { kind: 'table' }>
const sectionOf = (d: ReportDoc, id: string) => d.sections.find((s) => s.id === id) as ReportSection
const section = (id: string) => sectionOf(doc, id)
const textOf = (s: ReportSection) => JSON.stringify(s.blocks)
const tables = (s: ReportSection) => s.blocks.filter((b): b is Table => b.kind === 'table')
const table = (s: ReportSection, caption: RegExp) => tables(s).find((t) => caption.test(t.caption)) as Table
const kv = (s: ReportSection) =>
  Object.fromEntries(
    s.blocks.flatMap((b) => (b.kind === 'keyValues' ? b.rows.map((r) => [r.label, r.value]) : [])),
  ) as Record<string, string>

describe('report document', () => {
  it('has the sections in the order of the issue, and no instance text by default', () => {
    expect(doc.sections.map((s) => s.id)).toEqual([
      'summary',
      'scope',
      'coverage',
      'leaderboard',
      'cost',
      'jury',
      'agreement',
      'privacy',
      'limitations',
    ])
    expect(JSON.stringify(doc)).not.toMatch(/a patient writes about symptom/)
    expect(doc.subtitle).toBe('2 models on 1 benchmark; run 1')
  })

  it('summary: the best model per category with its tie group, differences, cost per 1,000 answers, limitations', () => {
    const s = section('summary')
    const leaders = table(s, /Best model per category/)
    const lb = inputs.leaderboard
    expect(leaders.rows).toHaveLength(1)
    const best = [...lb.rows].sort(
      (a, b) => (b.categories[0]?.macro.mean ?? 0) - (a.categories[0]?.macro.mean ?? 0),
    )[0]!
    expect(leaders.rows[0]).toMatchObject({ best: best.modelKey })
    // The paired test of the two models is not significant: the other one is not separable.
    const other = REPORT_MODELS.find((m) => m !== best.modelKey)!
    expect(leaders.rows[0]!.tied).toBe(other)
    expect(textOf(s)).toContain('No difference between two models is significant')
    // model-a has a price (1 and 2 USD per 1M tokens), model-b none: its cost is unknown, never $0.
    expect(textOf(s)).toMatch(new RegExp(`${REPORT_MODELS[0]}: \\$[0-9.]+ per 1,000 answers`))
    expect(textOf(s)).toContain(`Cost unknown for ${REPORT_MODELS[1]}: no price set`)
    expect(textOf(s)).toContain('Small samples')
  })

  it('summary: significant differences about the best-ranked models first, at most ten written out', () => {
    const lb = inputs.leaderboard
    const [top, second] = lb.rows.map((r) => r.modelKey)
    const base = { ...lb.pairwise[0]!, significant: true }
    const pairwise = [
      ...Array.from({ length: 11 }, (_, i) => ({
        ...base,
        scope: 'benchmark' as const,
        modelA: 'x',
        modelB: 'y',
        difference: i / 100,
        sentence: `bench ${i}`,
      })),
      { ...base, scope: 'benchmark' as const, modelA: top!, modelB: second!, sentence: 'top on a benchmark' },
      { ...base, scope: 'category' as const, modelA: 'x', modelB: 'y', sentence: 'others on a category' },
      { ...base, significant: false, sentence: null },
    ]
    const s = reportDocFrom({ ...inputs, leaderboard: { ...lb, pairwise } }).sections[0]!
    const list = s.blocks.find((b) => b.kind === 'list') as Extract<ReportBlock, { kind: 'list' }>
    expect(list.items.slice(0, 4)).toEqual([
      'others on a category',
      'top on a benchmark',
      'bench 10',
      'bench 9',
    ])
    expect(list.items).toHaveLength(11)
    expect(list.items.at(-1)).toBe('…and 3 more, listed in the leaderboard section.')
  })

  it('scope: models with digests and endpoints, benchmarks with content and prompt hashes and n, seeds, version, dates', () => {
    const s = section('scope')
    const models = table(s, /^Models/)
    expect(models.rows.map((r) => r.model).sort()).toEqual([...REPORT_MODELS].sort())
    for (const r of models.rows) {
      expect(r.digest).toMatch(/^[0-9a-f]{64}$/)
      expect(r.url).toBe(fake.url)
    }
    const v = ctx.db.prepare('SELECT content_hash FROM benchmark_versions').get() as { content_hash: string }
    const bench = table(s, /^Benchmarks/).rows[0]!
    expect(bench).toMatchObject({ content: v.content_hash, n: '14 / 14' })
    expect(bench.prompt).toBe(inputs.manifests[0]!.benchmarks[0]!.promptTemplateHash)
    expect(table(s, /^Runs/).rows[0]).toMatchObject({ run: '1', status: 'completed', seed: '0' })
    expect(kv(s)).toMatchObject({ 'Seed of the statistics': '7', 'Report generated': '2026-12-05 01:00 UTC' })
    expect(kv(s)['WardEval version']).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('coverage: all 22 subcategories, the one with scored results marked', () => {
    const s = section('coverage')
    const rows = tables(s).flatMap((t) => t.rows)
    expect(rows).toHaveLength(22)
    expect(rows.filter((r) => r.evidence === 'Yes').map((r) => r.benchmarks)).toEqual([
      inputs.leaderboard.columns[0]!.benchmarkName,
    ])
    expect(textOf(s)).toContain('1 of the 22 subcategories')
  })

  it('leaderboard: intervals, rank intervals, tie groups, pairwise results and per-category results as computed', () => {
    const s = section('leaderboard')
    const lb = inputs.leaderboard
    const ranked = table(s, /^Leaderboard/)
    expect(ranked.rows.map((r) => r.model)).toEqual(lb.rows.map((r) => r.modelKey))
    lb.rows.forEach((r, i) => {
      expect(ranked.rows[i]!.winRate).toContain(formatInterval(r.winRateCi!))
      expect(ranked.rows[i]!.macro).toContain(formatInterval(r.macroCi!))
      expect(ranked.rows[i]!.rankInterval).toBe(`${r.rankInterval.lo}–${r.rankInterval.hi}`)
    })
    const pairs = table(s, /Pairwise comparisons/)
    expect(pairs.rows).toHaveLength(lb.pairwise.length)
    expect(pairs.rows[0]!.verdict).toBe('not significant')
    expect(table(s, /Per-category/).columns.map((c) => c.label)).toContain(
      lb.categories.find((c) => c.columns > 0)!.name,
    )
    const cells = table(s, /Benchmark results/)
    expect(cells.rows).toHaveLength(lb.cells.length)
    expect(cells.rows.every((r) => r.n === '14')).toBe(true)
  })

  it('cost: model and jury apart; a local model priced by GPU-hour × measured generation time; frontier', () => {
    const lb = inputs.leaderboard
    const priced = costSection({ ...inputs, options: { ...inputs.options, gpuHourUsd: 3.6 } })
    const t = table(priced, /Cost per model/)
    for (const m of REPORT_MODELS) {
      const cells = lb.cells.filter((c) => c.modelKey === m)
      const ms = cells.reduce((s, c) => s + c.runtimeMs! * c.cost.model.responses, 0)
      const answers = lb.rows.find((r) => r.modelKey === m)!.cost.model.responses
      const row = t.rows.find((r) => r.model === m)!
      const usd = gpuTimeUsd(ms, 3.6)
      expect(row.answers).toBe(String(answers))
      expect(row.gpu).not.toBe('not local')
      expect(row.per1000).toBe(`$${Number(((usd / answers) * 1000).toPrecision(3))}`)
      expect(row.jury).toMatch(/^unknown \(no price for ollama\/judge-x/)
    }
    expect(textOf(priced)).toContain('On the cost-performance frontier')
    // Without a rate, the model's token price: the unpriced model is unknown, no frontier drawn.
    const tokens = table(section('cost'), /Cost per model/)
    expect(tokens.rows.find((r) => r.model === REPORT_MODELS[0])!.tokens).toMatch(/^\$/)
    expect(tokens.rows.find((r) => r.model === REPORT_MODELS[1])!.per1000).toBe('unknown')
  })

  it('jury: votes and failed votes per benchmark, unscored instances, judges that are also evaluated', () => {
    const s = section('jury')
    const per = table(s, /per benchmark/).rows[0]!
    const a = inputs.juryAgreement[0]!.benchmarks[0]!
    expect(per).toMatchObject({ votes: String(a.agreement.votes), unscored: `0 of ${a.scored}` })
    expect(a.agreement.votes).toBe(14 * 2 * 3 * 3)
    const judges = table(s, /^Judges/)
    expect(judges.rows.map((r) => r.judge)).toEqual([...REPORT_JUDGES])
    expect(judges.rows.every((r) => r.evaluated === 'no')).toBe(true)
    // A judge that is also on the leaderboard is named, in the table and among the limitations.
    const lb = inputs.leaderboard
    const withJudge = {
      ...inputs,
      leaderboard: { ...lb, rows: [...lb.rows, { ...lb.rows[0]!, modelKey: REPORT_JUDGES[0]! }] },
    }
    const judged = table(jurySection(withJudge), /^Judges/)
    expect(judged.rows[0]!.evaluated).toBe('yes: it scores its own answers')
    expect(findLimitations(withJudge).find((l) => l.kind === 'self_family')?.detail).toContain(
      `${REPORT_JUDGES[0]} (judges`,
    )
  })

  it('clinician agreement: per review set and the scorer league; says what to do where no set exists', () => {
    const s = section('agreement')
    expect(table(s, /per review set/).rows[0]).toMatchObject({ set: '1', items: '14 / 14', reviewers: '2' })
    const league = table(s, /Scorer league/)
    expect(league.rows.map((r) => r.scorer)).toEqual(inputs.league!.scorers.map((x) => x.name))
    expect(league.rows.map((r) => r.scorer)).toContain('LLM jury (3 judges)')
    expect(textOf(s)).toContain(inputs.league!.headline)
    const none = agreementSection({ ...inputs, reviews: [], league: null })
    expect(textOf(none)).toContain('No review set covers these runs')
  })

  it('privacy: destinations with bytes, approvals with reasons, verification, chain head and last anchor', () => {
    const s = section('privacy')
    const values = kv(s)
    expect(values['Audit log verification']).toMatch(/^Intact: \d+ rows checked/)
    expect(values['Chain head']).toContain(inputs.auditVerify.headHash!)
    expect(values['Last anchor']).toContain(inputs.lastAnchor!.keyFingerprint)
    const dest = table(s, /Destinations/).rows
    const host = new URL(fake.url).host
    expect(dest.find((d) => d.host === host)).toMatchObject({ where: 'this machine', refusals: '0' })
    expect(Number(dest.find((d) => d.host === host)!.requests)).toBeGreaterThan(0)
    expect(table(s, /Approvals/).rows[0]).toMatchObject({
      host: '127.0.0.2:8443',
      reason: 'Hospital GPU cluster, DPA signed 2026-10',
      revoked: 'active',
    })
  })

  it('limitations: small n and an uncalibrated jury found in the data; partial cells and unpaired views named', async () => {
    expect(findLimitations(inputs).map((l) => l.kind)).toEqual(['small_n', 'uncalibrated', 'self_family'])
    const unpaired = await gatherReportInputs(ctx, { unpaired: true })
    expect(findLimitations(unpaired).map((l) => l.kind)).toContain('unpaired')
    const lb = inputs.leaderboard
    const partialCell = {
      ...lb.cells[0]!,
      partial: true,
      counts: { ...lb.cells[0]!.counts, scored: 10, unscored: 4 },
    }
    const partial = findLimitations({
      ...inputs,
      leaderboard: { ...lb, cells: [partialCell, ...lb.cells.slice(1)] },
    })
    expect(partial.find((l) => l.kind === 'partial')?.detail).toMatch(/^4 instances in 1 cell have no score/)
    expect(textOf(section('limitations'))).toContain('fewer than 30 instances')
  })

  it('examples only when asked: N instances per benchmark with each model answer', async () => {
    const withExamples = reportDocFrom(await gatherReportInputs(ctx, { includeExamples: 2 }))
    const ex = sectionOf(withExamples, 'examples')
    expect(withExamples.sections.at(-1)!.id).toBe('examples')
    expect(ex.blocks[0]).toMatchObject({ kind: 'callout', tone: 'warning' })
    const items = ex.blocks.filter((b) => b.kind === 'keyValues')
    expect(items).toHaveLength(2)
    expect(JSON.stringify(items[0])).toContain('Case 0: a patient writes about symptom 0.')
    for (const m of REPORT_MODELS) expect(JSON.stringify(items[0])).toContain(m)
  })
})
