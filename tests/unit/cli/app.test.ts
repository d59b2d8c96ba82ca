import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LATEST_SCHEMA_VERSION } from '../../../src/main/db/migrations'
import pkg from '../../../package.json'
import { runCliCaptured } from '../../support/cli'

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCliCaptured(args, { env })

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wardeval-cli-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('cli', () => {
  it('version', async () => {
    const r = await cli(['version'])
    expect(r).toMatchObject({ code: 0, stdout: `WardEval ${pkg.version}\n` })
    expect(JSON.parse((await cli(['version', '--json'])).stdout)).toMatchObject({
      name: 'WardEval',
      version: pkg.version,
    })
  })

  it('db info --json prints the path, schema version and row counts', async () => {
    const db = join(dir, 'x.db')
    const r = await cli(['db', 'info', '--json', '--db', db])
    expect(r.code).toBe(0)
    const info = JSON.parse(r.stdout)
    expect(info.path).toBe(db)
    expect(info.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    expect(info.journalMode).toBe('wal')
    const counts = Object.fromEntries(
      info.tables.map((t: { table: string; rows: number }) => [t.table, t.rows]),
    )
    expect(counts).toHaveProperty('audit_log')
    expect(counts).toHaveProperty('runs', 0)
  })

  it('WARDEVAL_DB chooses the database when --db is absent', async () => {
    const db = join(dir, 'env.db')
    const r = await cli(['db', 'info', '--json'], { WARDEVAL_DB: db })
    expect(JSON.parse(r.stdout).path).toBe(db)
  })

  it('human output lists every table', async () => {
    const r = await cli(['db', 'info', '--db', join(dir, 'h.db')])
    expect(r.stdout).toMatch(/Schema version: \d+ \(latest \d+\)/)
    expect(r.stdout).toMatch(/^benchmarks\s+\d+$/m)
  })

  it('an unknown command is a usage error (exit 2) with help', async () => {
    const r = await cli(['frobnicate'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/)
  })

  it('--help lists the commands', async () => {
    const r = await cli(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/db\s/)
    expect(r.stdout).toMatch(/--db <file>/)
  })

  it('npm run -s cli -- db info --json works from a shell', () => {
    const db = join(dir, 'npm.db')
    const out = execFileSync('npm', ['run', '-s', 'cli', '--', 'db', 'info', '--json', '--db', db], {
      cwd: join(__dirname, '../../..'),
      encoding: 'utf8',
      env: { ...process.env, npm_config_loglevel: 'silent' },
    })
    const info = JSON.parse(out)
    expect(info).toMatchObject({ path: db, schemaVersion: LATEST_SCHEMA_VERSION })
  })
})
