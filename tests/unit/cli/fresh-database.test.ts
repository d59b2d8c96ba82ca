import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { runCliCaptured } from '../../support/cli'

/** A new database is ready whatever command opens it first: the sample benchmarks are there. */

let dir: string
let fake: FakeOllama
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wardeval-fresh-'))
  fake = await startFakeOllama({ answer: () => 'yes' })
})
afterEach(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a fresh database', () => {
  it('`run --benchmark pubmed_qa` works as the very first command', async () => {
    const file = join(dir, 'new.db')
    const r = await runCliCaptured(
      ['--db', file, 'run', '--benchmark', 'pubmed_qa', '--model', 'ollama/llama3.2:3b', '--limit', '3'],
      { env: { OLLAMA_HOST: fake.url } },
    )
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/Run 1 completed: 3\/3 done, 0 failed/)
  })

  it('any command that opens it seeds the five samples once; a command that does not, creates nothing', async () => {
    const file = join(dir, 'new.db')
    expect((await runCliCaptured(['--db', file, 'version'])).code).toBe(0)
    expect(existsSync(file)).toBe(false)
    expect((await runCliCaptured(['--db', file, 'runs'])).code).toBe(0)
    const db = new Database(file, { readonly: true })
    const ids = (db.prepare('SELECT id FROM benchmarks ORDER BY id').all() as { id: string }[]).map(
      (r) => r.id,
    )
    db.close()
    expect(ids).toEqual(['aci_bench', 'medcalc_bench', 'medec', 'medhallu', 'pubmed_qa'])
  })
})
