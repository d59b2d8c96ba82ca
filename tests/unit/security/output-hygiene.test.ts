import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { displayLines, displayText } from '../../../src/shared/display-text'
import { appendAudit } from '../../../src/main/audit/log'
import { exportAuditCsv } from '../../../src/main/audit/export'
import { table } from '../../../src/main/cli/runtime'
import { addEndpoint } from '../../../src/main/models/endpoints'
import { runCliCaptured } from '../../support/cli'
import { tempContext, type TempContext } from '../../support/context'

/** Spreadsheet formulas and terminal control characters never reach a CSV cell or a terminal raw. */

const ESC = '\u001b'
let ctx: TempContext
beforeEach(() => {
  ctx = tempContext()
})
afterEach(() => ctx.dispose())

describe('CSV exports neutralize formulas', () => {
  it('the audit export: actor, detail and endpoint cells that begin with = + - @ tab or CR', () => {
    const hostile = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx']
    for (const [i, actor] of hostile.entries())
      appendAudit(ctx.db, {
        kind: 'policy',
        actor,
        outcome: 'note',
        detail: hostile[(i + 1) % hostile.length]!,
      })
    const file = join(ctx.dir, 'exports', 'a.csv')
    exportAuditCsv(ctx.db, file)
    const csv = readFileSync(file, 'utf8')
    for (const h of hostile) {
      // Each value is written as '<value> (quoted when it holds a quote or line break), never bare.
      expect(csv).toContain(`'${h.replace(/"/g, '""')}`)
      expect(csv).not.toMatch(new RegExp(`(^|,)${h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'))
    }
  })

  it('every CSV writer under src/main writes its cells through csv/cell.ts', () => {
    const root = join(__dirname, '../../../src/main')
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = join(dir, n)
        return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : []
      })
    const writers = files(root).filter((f) => {
      const src = readFileSync(f, 'utf8')
      return /\.csv`|\.csv'|text\/csv/.test(src) && /write(File)?Sync|createWriteStream|writeFile\(/.test(src)
    })
    expect(writers.map((f) => relative(root, f))).toContain(join('audit', 'export.ts'))
    for (const f of writers)
      expect(readFileSync(f, 'utf8'), relative(root, f)).toMatch(/from '(\.\.\/)+csv\/cell'/)
  })
})

describe('control characters are stripped from what is shown', () => {
  it('displayText removes escapes, C1 controls and bidi overrides; keeps the words', () => {
    expect(displayText(`lab${ESC}[2J${ESC}]0;pwned\u0007`)).toBe('lab[2J]0;pwned')
    expect(displayText('a\u009b31mb')).toBe('a31mb')
    expect(displayText('invoice\u202Efdp.exe')).toBe('invoicefdp.exe')
    expect(displayText('two\nlines\tand\rtab')).toBe('two lines and tab')
    expect(displayLines(`one${ESC}[1m\ntwo`)).toBe('one[1m\ntwo')
    expect(displayText('Ärztin Müller — 日本')).toBe('Ärztin Müller — 日本')
  })

  it('CLI tables strip them from every cell', () => {
    const t = table(['name'], [[`evil${ESC}[31m`], ['ok\u202E']])
    expect(t).not.toContain(ESC)
    expect(t).not.toContain('\u202E')
    expect(t).toContain('evil[31m')
  })

  it('the CLI prints names from the database without escapes (egress policy, audit)', async () => {
    ctx.dispose()
    const cli = (...args: string[]) => runCliCaptured(['--db', ctx.dbPath, ...args])
    const approved = await cli('egress', 'approve', '10.1.2.3', '--reason', `pilot${ESC}[2J${ESC}[31m`)
    expect(approved.code).toBe(0)
    for (const out of [await cli('egress', 'policy'), await cli('audit')]) {
      expect(out.code).toBe(0)
      expect(out.stdout).toContain('pilot[2J[31m')
      expect(out.stdout).not.toContain(ESC)
    }
  })
})

describe('endpoint names', () => {
  it('are restricted to a safe character set at creation, also from the CLI', async () => {
    for (const name of ['=cmd', 'lab\u001b[31m', 'a b', '-x', 'x'.repeat(65)]) {
      expect(() => addEndpoint(ctx, { name, url: 'http://127.0.0.1:9', kind: 'ollama' }, 't'), name).toThrow(
        /not a valid endpoint name/,
      )
    }
    ctx.dispose()
    const r = await runCliCaptured([
      '--db',
      ctx.dbPath,
      'endpoints',
      'add',
      '=HYPERLINK(1)',
      'http://127.0.0.1:9',
      '--kind',
      'ollama',
    ])
    expect(r.code).toBe(2) // invalid input
    expect(r.stderr).toContain('not a valid endpoint name')
  })

  it('two names that map to the same API-key variable are refused', () => {
    addEndpoint(ctx, { name: 'lab-a', url: 'http://127.0.0.1:9', kind: 'openai' }, 't')
    expect(() =>
      addEndpoint(ctx, { name: 'lab_a', url: 'http://127.0.0.1:10', kind: 'openai' }, 't'),
    ).toThrow(
      /"lab_a" and the existing endpoint "lab-a" would both take their API key from WARDEVAL_API_KEY_LAB_A/,
    )
    expect(() =>
      addEndpoint(ctx, { name: 'LAB.A', url: 'http://127.0.0.1:10', kind: 'openai' }, 't'),
    ).toThrow(/WARDEVAL_API_KEY_LAB_A/)
    expect(ctx.db.prepare("SELECT COUNT(*) FROM endpoints WHERE name != 'ollama'").pluck().get()).toBe(1)
  })
})
