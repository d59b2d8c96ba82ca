import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../src/main/cli/program'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { goldOf, importPack, mcInstances, mcManifest } from '../runs/helpers'
import { committed, exited, importInChild, sleep, writeExtract } from './import-support'

/**
 * An import does not stop a run (issue 13, point 5): a large import in another process writes in
 * short chunk transactions, so a run in this process keeps recording its answers and completes,
 * with no "database is locked".
 */

const ITEMS = 400
const ROWS = 200_000

let ctx: TempContext
let fake: FakeOllama
let dir: string

beforeAll(async () => {
  fake = await startFakeOllama({
    answer: async (req) => {
      await new Promise((r) => setTimeout(r, 5))
      return goldOf(req.lastUser)
    },
  })
  ctx = tempContext({ OLLAMA_HOST: fake.url, WARDEVAL_NO_SAMPLES: '1' })
  dir = mkdtempSync(join(tmpdir(), 'wardeval-fault-run-'))
  await importPack(ctx, ctx.dir, mcManifest('coexist_mc'), mcInstances(ITEMS))
})
afterAll(async () => {
  ctx.dispose()
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a run while another process imports a large file', () => {
  it('completes every item, and the import completes too', { timeout: 300_000 }, async () => {
    const csv = join(dir, 'big.csv')
    writeExtract(csv, ROWS)
    const child = importInChild(ctx.dbPath, csv)
    const done = exited(child)
    // The run starts once the import is writing (its rows reach the WAL).
    const wal = `${ctx.dbPath}-wal`
    while (child.exitCode === null && !(existsSync(wal) && statSync(wal).size > 4 << 20)) await sleep(10)
    expect(child.exitCode, child.output()).toBeNull()

    let text = ''
    const code = await runCli(
      [
        '--db',
        ctx.dbPath,
        'run',
        '--benchmark',
        'coexist_mc',
        '--model',
        'ollama/llama3.2:3b',
        '--concurrency',
        '4',
      ],
      {
        stdout: (s) => (text += s),
        stderr: (s) => (text += s),
        env: { OLLAMA_HOST: fake.url },
        isTTY: false,
      },
    )
    expect(code, text).toBe(0)
    expect(text).toMatch(new RegExp(`completed: ${ITEMS}/${ITEMS} done, 0 failed`))
    expect(text).not.toMatch(/database is locked/i)

    expect(await done, child.output()).toBe(0)
    expect(child.output()).toMatch(/Imported: fault_extract/)
    expect(committed(ctx.dbPath)).toMatchObject({ staging: 0 })
    expect(
      (
        ctx.db
          .prepare("SELECT instance_count AS n FROM benchmark_versions WHERE benchmark_id = 'fault_extract'")
          .get() as { n: number }
      ).n,
    ).toBe(ROWS)
  })
})
