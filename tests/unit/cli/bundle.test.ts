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

  it('exits 2 with usage help on an unknown command', () => {
    const r = wardeval(['no-such-command'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/unknown command/)
  })
})
