import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { APP_VERSION } from '../../../src/main/app/version'
import pkg from '../../../package.json'

/**
 * The `wardeval` command as installed: the bundled CLI (out/main/cli.js, package.json bin) with its
 * bundled worker threads. `npm test` builds before the unit tests; a bare vitest run skips these.
 */
const ROOT = resolve(__dirname, '../../..')
const CLI = join(ROOT, pkg.bin.wardeval)
const built = existsSync(CLI)
const dir = mkdtempSync(join(tmpdir(), 'wardeval-bundle-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const wardeval = (args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WARDEVAL_DB: join(dir, 'w.db'), WARDEVAL_NO_SAMPLES: '1' },
  })

/** Every module file a run of `wardeval args` loaded (a preload prints require.cache at exit). */
function loaded(args: string[]): string[] {
  const hook = join(dir, 'loaded.cjs')
  writeFileSync(
    hook,
    "process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache))))",
  )
  const r = spawnSync(process.execPath, ['-r', hook, CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WARDEVAL_DB: join(dir, 'w.db'), WARDEVAL_NO_SAMPLES: '1' },
  })
  expect(r.status).toBe(0)
  return (JSON.parse(r.stderr) as string[]).map((f) => f.replaceAll('\\', '/'))
}

describe.skipIf(!built)('the bundled wardeval command (after npm run build)', () => {
  it('is an executable script named in package.json bin', () => {
    expect(pkg.bin).toEqual({ wardeval: 'out/main/cli.js' })
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
  })

  it('answers --version and -V with the version alone', () => {
    for (const flag of ['--version', '-V']) {
      const r = wardeval([flag])
      expect(r.status).toBe(0)
      expect(r.stdout).toBe(`${APP_VERSION}\n`)
    }
  })

  it('imports a CSV through its bundled worker thread', () => {
    const csv = join(dir, 'notes.csv')
    writeFileSync(csv, 'question,answer\nq1,a1\nq2,a2\nq3,a3\n')
    const r = wardeval(['import', 'csv', csv, '--subcategory', 'recording_procedures'])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const list = JSON.parse(wardeval(['benchmarks', '--json']).stdout) as { id: string }[]
    expect(list.map((b) => b.id)).toContain('notes')
  })

  it('an import that cannot open its database ends at once with the error, its worker thread started with the process stopped', () => {
    const csv = join(dir, 'late.csv')
    writeFileSync(csv, 'question,answer\nq1,a1\n')
    const notDb = join(dir, 'not-a-database.db')
    writeFileSync(
      notDb,
      'these are not the bytes of a SQLite database, but a file long enough to be read as one',
    )
    const r = spawnSync(
      process.execPath,
      [CLI, '--db', notDb, 'import', 'csv', csv, '--subcategory', 'recording_procedures'],
      {
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, WARDEVAL_NO_SAMPLES: '1' },
      },
    )
    expect(r.signal).toBeNull() // not killed by the timeout: nothing kept the process alive
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/not a SQLite database/)
    expect(readFileSync(notDb, 'utf8')).toMatch(/^these are not the bytes/)
  })

  it('an import command that never runs (its help, a usage error) exits at once: the worker started with the process does not keep it', () => {
    for (const args of [
      ['import', '--help'],
      ['import', 'csv'],
    ]) {
      const r = spawnSync(process.execPath, [CLI, ...args], {
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, WARDEVAL_DB: join(dir, 'w.db'), WARDEVAL_NO_SAMPLES: '1' },
      })
      expect(r.signal, args.join(' ')).toBeNull()
      expect(r.status, args.join(' ')).toBe(args.length === 2 && args[1] === '--help' ? 0 : 2)
    }
  })

  it('loads only what a command needs: --help no command module, a command its own module', () => {
    const has = (files: string[], part: string) => files.some((f) => f.includes(part))
    const help = loaded(['--help'])
    expect(has(help, '/cli/commands/')).toBe(false)
    expect(has(help, '/node_modules/zod/')).toBe(false)
    expect(has(help, '/node_modules/better-sqlite3/')).toBe(false)
    const own = loaded(['leaderboard', '--help'])
    expect(has(own, '/cli/commands/leaderboard')).toBe(true)
    expect(has(own, '/cli/commands/review')).toBe(false)
    expect(has(own, '/analysis/leaderboard')).toBe(false)
    expect(has(own, '/node_modules/better-sqlite3/')).toBe(false)
    const db = loaded(['db', 'info'])
    expect(has(db, '/cli/commands/app')).toBe(true)
    expect(has(db, '/node_modules/better-sqlite3/')).toBe(true)
    expect(has(db, '/cli/commands/leaderboard')).toBe(false)
  })

  it('reads the database without loading the event contract or zod from node_modules', () => {
    for (const args of [['db', 'info'], ['benchmarks', 'list'], ['runs'], ['prices']]) {
      const files = loaded(args)
      // The event bus loads the contract (every zod schema of src/shared/api) at the first emit.
      expect(
        files.some((f) => f.endsWith('/event-contract.js')),
        args.join(' '),
      ).toBe(false)
      expect(
        files.some((f) => f.includes('/shared/api/contract')),
        args.join(' '),
      ).toBe(false)
      // Nor the schemas of domains the command does not touch, nor the audit forwarder.
      for (const part of [/\/shared\/api\/(review|benchmarks)-/, /\/audit\/forward-/])
        expect(
          files.some((f) => part.test(f)),
          `${args.join(' ')}: ${String(part)}`,
        ).toBe(false)
      // zod, where a command needs it, is the bundled vendor chunk (one file, no locales).
      expect(
        files.some((f) => f.includes('/node_modules/zod/')),
        args.join(' '),
      ).toBe(false)
    }
    // Listing runs reads them: it loads neither the engine nor what sends requests (model clients,
    // the egress guard), only what starting a run needs.
    const runs = loaded(['runs'])
    for (const part of [/\/runs\/(engine|control|create)-/, /\/egress\/guard-/, /\/models\/clients-/])
      expect(
        runs.some((f) => part.test(f)),
        `runs: ${String(part)}`,
      ).toBe(false)
    // Checking for the samples to seed at start does not load the pack importer (its schemas).
    expect(loaded(['db', 'info']).some((f) => /\/importers\/pack-(?!files)/.test(f))).toBe(false)
  })

  it('exits 2 with usage help on an unknown command', () => {
    const r = wardeval(['no-such-command'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/unknown command/)
  })
})
