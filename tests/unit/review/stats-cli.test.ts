import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IccFileReport } from '../../../src/main/review/files/icc-file'
import { runCliCaptured } from '../../support/cli'
import { SHROUT_FLEISS as SF } from './shrout-fleiss'

/**
 * `stats icc` and `stats agreement` on files: Shrout & Fleiss (1979) through the CLI, incomplete
 * designs refused or dropped, and bad input refused with the file, line and column — and no result.
 */

let dir: string
const write = (name: string, text: string) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stats-cli-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Shrout & Fleiss (1979), Table 2: 6 targets × 4 judges.
const long = (m: number[][], raters = ['A', 'B', 'C', 'D']) =>
  ['target,rater,score', ...m.flatMap((row, t) => row.map((x, j) => `t${t + 1},${raters[j]},${x}`))].join(
    '\n',
  ) + '\n'

async function refused(args: string[]) {
  const r = await runCliCaptured(args)
  expect(r.code).not.toBe(0)
  expect(r.stdout).toBe('')
  return r.stderr
}

describe('stats icc', () => {
  it('gives the six Shrout & Fleiss forms with F, df, p, 95% CI and the Koo & Li label', async () => {
    const file = write('sf.csv', long(SF))
    const r = await runCliCaptured(['--json', 'stats', 'icc', file])
    expect(r.code).toBe(0)
    const report = JSON.parse(r.stdout) as IccFileReport
    expect(report).toMatchObject({ targets: 6, raters: 4, dropped: null })
    const by = Object.fromEntries(report.forms.map((f) => [f.form, f]))
    const two = (x: number) => x.toFixed(2)
    expect(report.forms.map((f) => [f.form, two(f.value)])).toEqual([
      ['ICC(1,1)', '0.17'],
      ['ICC(2,1)', '0.29'],
      ['ICC(3,1)', '0.71'],
      ['ICC(1,k)', '0.44'],
      ['ICC(2,k)', '0.62'],
      ['ICC(3,k)', '0.91'],
    ])
    expect(by['ICC(3,1)']).toMatchObject({ df1: 5, df2: 15 })
    expect(by['ICC(1,1)']).toMatchObject({ df1: 5, df2: 18 })
    expect(by['ICC(3,1)']!.f).toBeCloseTo(11.03, 2)
    expect(by['ICC(1,1)']!.p).toBeCloseTo(0.16477, 5)
    expect(by['ICC(3,k)']!.ci![0]).toBeCloseTo(0.676, 3)
    // Judged on the interval (0.676 to 0.986), not on the estimate 0.91.
    expect(by['ICC(3,k)']!.label).toBe('moderate to excellent')
    expect(by['ICC(1,1)']!.label).toBe('poor to moderate')

    const text = await runCliCaptured(['stats', 'icc', file])
    expect(text.stdout).toContain('6 targets × 4 raters')
    expect(text.stdout).toMatch(
      /ICC\(3,k\)\s+two-way mixed, mean of k raters, consistency\s+0\.909\s+\[0\.676, 0\.986\]\s+11\.03\s+5\s+15\s+<0\.001\s+moderate to excellent/,
    )
  })

  it('refuses missing ratings with the list of what is missing', async () => {
    const lines = long(SF).trim().split('\n')
    const file = write('gap.csv', lines.filter((l) => l !== 't2,C,3' && l !== 't5,A,10').join('\n'))
    const err = await refused(['stats', 'icc', file])
    expect(err).toContain('gap.csv: 2 rating(s) missing')
    expect(err).toContain('target "t2": no rating from rater "C"')
    expect(err).toContain('target "t5": no rating from rater "A"')
    expect(err).toContain('--drop-incomplete')
  })

  it('with --drop-incomplete leaves out incomplete targets and raters and reports them', async () => {
    // Rater E rated only two targets; target t3 lacks rater B.
    const rows = long(SF)
      .trim()
      .split('\n')
      .filter((l) => l !== 't3,B,4')
    rows.push('t1,E,3', 't2,E,4')
    const file = write('drop.csv', rows.join('\n'))
    const r = await runCliCaptured(['--json', 'stats', 'icc', file, '--drop-incomplete'])
    expect(r.code).toBe(0)
    const report = JSON.parse(r.stdout) as IccFileReport
    expect(report.dropped).toEqual({ targets: ['t3'], raters: ['E'], ratings: 5 })
    expect(report).toMatchObject({ targets: 5, raters: 4 })
    const text = await runCliCaptured(['stats', 'icc', file, '--drop-incomplete'])
    expect(text.stdout).toContain(
      'Left out as incomplete (--drop-incomplete): 1 target(s) (t3), 1 rater(s) (E), 5 rating(s).',
    )
  })

  it('refuses when too little is left after dropping the incomplete', async () => {
    const file = write('sparse.csv', 'target,rater,score\nt1,A,1\nt1,B,2\nt2,A,3\nt3,B,4\n')
    const err = await refused(['stats', 'icc', file, '--drop-incomplete'])
    expect(err).toMatch(
      /sparse\.csv: after leaving out the incomplete targets \(\d\) and raters \(\d\), \d target\(s\) × \d rater\(s\) remain; an ICC needs at least 2 × 2/,
    )
  })

  it('refuses bad input naming the line and column, printing no result', async () => {
    const cases: [string, string, RegExp][] = [
      ['missing column', 'target,rater\nt1,A\n', /line 1, score: required column is missing/],
      ['non-numeric', 'target,rater,score\nt1,A,4\nt1,B,four\n', /line 3, score: not a number/],
      [
        'out of range',
        'target,rater,score\nt1,A,4\nt1,B,11\n',
        /line 3, score: out of range: scores lie from 0 to 10/,
      ],
      ['empty score', 'target,rater,score\nt1,A,\n', /line 2, score: empty/],
      [
        'duplicate',
        'target,rater,score\nt1,A,4\nt1,A,5\n',
        /line 3, rater: this rater already rated this target at line 2/,
      ],
      [
        'single rater',
        'target,rater,score\nt1,A,4\nt2,A,5\nt3,A,2\n',
        /column rater: every rating \(lines 2, 3, 4\) is by one rater/,
      ],
      [
        'constant rater',
        'target,rater,score\nt1,A,4\nt2,A,4\nt3,A,4\nt1,B,1\nt2,B,2\nt3,B,5\n',
        /column score: rater "A" gave every target the same score \(lines 2, 3, 4\)/,
      ],
      ['short row', 'target,rater,score\nt1,A\n', /line 2, row: has 2 fields; the header has 3/],
    ]
    for (const [name, text, pattern] of cases) {
      const err = await refused(['stats', 'icc', write(`${name.replace(/ /g, '-')}.csv`, text)])
      expect(err, name).toMatch(pattern)
      expect(err, name).toContain(`${name.replace(/ /g, '-')}.csv`)
    }
    expect(await refused(['stats', 'icc', join(dir, 'absent.csv')])).toMatch(/ratings file not found/)
    expect(await refused(['stats', 'icc', write('s.csv', long(SF)), '--scale', '5-1'])).toMatch(/--scale/)
    // --scale narrows what is accepted.
    expect(await refused(['stats', 'icc', write('sf5.csv', long(SF)), '--scale', '1-5'])).toMatch(
      /line 2, score: out of range: scores lie from 1 to 5/,
    )
  })
})

const AGREE_HEADER = 'instance_id,rater,kind,accuracy,completeness,clarity,benchmark'
/** n instances, two clinicians and a jury that follows them (with some disagreement). */
function agreementFile(n: number): string[] {
  const rows = [AGREE_HEADER]
  for (let i = 0; i < n; i++) {
    const base = 1 + (i % 5)
    const b = i % 2 ? 'bench_a' : 'bench_b'
    rows.push(`i${i},Dr A,clinician,${base},${base},${Math.min(5, base + 1)},${b}`)
    rows.push(`i${i},Dr B,clinician,${Math.max(1, base - (i % 3 === 0 ? 1 : 0))},${base},${base},${b}`)
    rows.push(`i${i},jury,jury,${base},${Math.min(5, base + 0.5)},${base},${b}`)
  }
  return rows
}

describe('stats agreement', () => {
  it('gives the jury against the clinicians overall and per benchmark, with n and the baseline', async () => {
    const file = write('agree.csv', agreementFile(24).join('\n'))
    const r = await runCliCaptured(['--json', 'stats', 'agreement', file])
    expect(r.code).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(report.overall).toMatchObject({ benchmark: 'all', instances: 24, clinicians: 2 })
    expect(report.overall.jury.status).toBe('ok')
    expect(report.overall.jury.icc3k.value).toBeGreaterThan(0.9)
    expect(report.overall.baseline).toMatchObject({ raters: ['Dr A', 'Dr B'], items: 24, status: 'ok' })
    expect(
      report.benchmarks.map((g: { benchmark: string; instances: number }) => [g.benchmark, g.instances]),
    ).toEqual([
      ['bench_a', 12],
      ['bench_b', 12],
    ])
  })

  it('refuses bad input naming the line and column, printing no result', async () => {
    const good = agreementFile(12)
    const swap = (line: number, text: string) => good.map((l, i) => (i === line - 1 ? text : l))
    const cases: [string, string[], RegExp][] = [
      [
        'missing column',
        [good[0]!.replace(',clarity', ''), ...good.slice(1).map((l) => l.replace(/,[^,]*,([^,]*)$/, ',$1'))],
        /line 1, clarity: required column is missing/,
      ],
      ['non-numeric', swap(3, 'i0,Dr B,clinician,4,x,4,bench_b'), /line 3, completeness: not a number/],
      [
        'out of range',
        swap(2, 'i0,Dr A,clinician,6,1,1,bench_b'),
        /line 2, accuracy: out of range: scores lie from 1 to 5/,
      ],
      ['out of range low', swap(4, 'i0,jury,jury,0,1,1,bench_b'), /line 4, accuracy: out of range/],
      ['bad kind', swap(2, 'i0,Dr A,nurse,1,1,1,bench_b'), /line 2, kind: must be "clinician" or "jury"/],
      [
        'two jury rows',
        [...good, 'i0,jury2,jury,3,3,3,bench_b'],
        /line 38, kind: a second jury row for this instance \(the first is line 4\)/,
      ],
      [
        'constant jury',
        good.map((l) => (l.includes(',jury,') ? l.replace(/,jury,jury,.*,/, ',jury,jury,3,3,3,') : l)),
        /the jury rows \(lines 4, 7, 10, .*\) give every instance the same composite score/,
      ],
      ['single rater kind', good.filter((l) => !l.includes(',jury,')), /column kind: no jury rows/],
      ['no clinicians', good.filter((l) => !l.includes(',clinician,')), /column kind: no clinician rows/],
    ]
    for (const [name, lines, pattern] of cases) {
      const err = await refused([
        'stats',
        'agreement',
        write(`a-${name.replace(/ /g, '-')}.csv`, lines.join('\n')),
      ])
      expect(err, name).toMatch(pattern)
    }
  })

  it('keeps instances of different benchmarks apart even when they share an id', async () => {
    // Every id appears in two benchmarks; each benchmark has its own jury row per id.
    const rows = agreementFile(12)
    const other = rows.slice(1).map((l) => l.replace(/,bench_[ab]$/, ',bench_c'))
    const file = write('a-shared-ids.csv', [...rows, ...other].join('\n'))
    const r = await runCliCaptured(['--json', 'stats', 'agreement', file])
    expect(r.code).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(report.overall.instances).toBe(24)
    expect(report.benchmarks.map((g: { benchmark: string; instances: number }) => g.instances)).toEqual([
      6, 6, 12,
    ])
  })

  it('refuses one clinician who is the only one and without spread (the clinicians’ mean is constant)', async () => {
    const rows = [AGREE_HEADER]
    for (let i = 0; i < 8; i++)
      rows.push(`i${i},Dr A,clinician,4,4,4,b`, `i${i},jury,jury,${1 + (i % 5)},3,3,b`)
    const err = await refused(['stats', 'agreement', write('a-flat.csv', rows.join('\n'))])
    expect(err).toMatch(
      /columns accuracy, completeness, clarity: the clinician rows \(lines 2, 4, 6, .*\) give every instance the same composite score/,
    )
  })
})
